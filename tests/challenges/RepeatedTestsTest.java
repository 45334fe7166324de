package tests.challenges;

import static org.junit.jupiter.api.Assertions.assertEquals;

import bench.report.Results;
import bench.report.Verdict;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tests.support.ShortRuns;

/**
 * Every script that keeps state, through three tests of one command ({@code --test-count
 * 3}), as Maelstrom runs them: one parent process for every node of every test, fresh
 * services each test. Each test must start empty and be valid; a node that found the
 * test before's state would read values no one wrote in this test, repeat offsets, or
 * answer from a log this test's clients never made. Short tests; g-counter gets a quiet
 * period its gossip converges in. g-set and pn-counter keep their state through the same
 * lib/Disk and lib/Crdt as g-counter's journal, and RestartTest covers their restarts.
 */
class RepeatedTestsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unique-ids      | unique-ids      | --rate 100
            broadcast       | broadcast       | --node-count 3 --rate 20
            g-counter       | g-counter       | --rate 100 --quiet-period 4
            kafka           | kafka           | --node-count 2 --concurrency 4 --rate 100
            txn-rw-register | txn-rw-register | --node-count 2 --concurrency 4 --rate 100 --consistency-models read-committed
            lin-kv          | lin-kv          | --node-count 3 --concurrency 6 --rate 30
            txn-list-append | txn-list-append | --node-count 2 --concurrency 4 --rate 100
            """)
    void eachOfThreeTestsStartsEmptyAndIsValid(String workload, String script, String flags) throws Exception {
        var words = new ArrayList<>(List.of(flags.split(" ")));
        words.addAll(List.of("--time-limit", "2", "--test-count", "3"));
        List<Results> tests = ShortRuns.runAll(workload, script, words.toArray(String[]::new));
        assertEquals(3, tests.size(), "every test ran: none was invalid");
        for (int i = 0; i < tests.size(); i++) {
            Results results = tests.get(i);
            assertEquals(Verdict.Validity.VALID, results.validity(), "test " + (i + 1) + ": " + results.verdict()
                    + ", problems " + results.problems() + ", see " + results.options().runDir());
        }
    }
}
