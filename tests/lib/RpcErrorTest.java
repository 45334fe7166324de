package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;
import lib.RpcError;
import org.junit.jupiter.api.Test;

class RpcErrorTest {

    @Test
    void definiteFollowsMaelstromsRegistryAndUnknownCodesAreIndefinite() {
        // Maelstrom's resources/errors.edn; its client takes a code missing from it as indefinite.
        var expected = new TreeMap<Integer, Boolean>(Map.ofEntries(
                Map.entry(0, false), Map.entry(1, true), Map.entry(10, true), Map.entry(11, true),
                Map.entry(12, true), Map.entry(13, false), Map.entry(14, true), Map.entry(20, true),
                Map.entry(21, true), Map.entry(22, true), Map.entry(30, true),
                Map.entry(2, false), Map.entry(15, false), Map.entry(1000, false), Map.entry(-1, false)));
        var actual = new TreeMap<Integer, Boolean>();
        expected.keySet().forEach(code -> actual.put(code, new RpcError(code, "x").definite()));
        assertEquals(expected, actual);
    }
}
