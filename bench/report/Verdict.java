package bench.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A checker's judgement.
 *
 * @param validity the outcome, as Jepsen's valid? (true, false, or unknown)
 * @param details  workload-specific figures and findings for results.json
 * @param findings one readable line per anomaly, naming the keys, values and
 *                 operations involved; empty when valid
 */
public record Verdict(Validity validity, ObjectNode details, List<String> findings) {

    /** Jepsen's three-valued validity; exit codes 0, 1 and 2. */
    public enum Validity { VALID, INVALID, UNKNOWN }

    /** Whether the history was judged valid. */
    public boolean valid() {
        return validity == Validity.VALID;
    }
}
