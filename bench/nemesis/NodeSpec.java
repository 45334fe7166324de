package bench.nemesis;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Jepsen's node specifications for kills and pauses ({@code db-nodes} in
 * {@code jepsen.nemesis.combined}): each operation draws one of them at random and
 * hits the nodes it picks. Jepsen's {@code node-specs} offers all six, its nil (a
 * random non-empty subset) included, to a database without primaries, as Maelstrom's is.
 */
public enum NodeSpec {
    /** Jepsen's nil: a random non-empty subset of the nodes. */
    NONEMPTY_SUBSET("nonempty-subset"),
    /** A single random node. */
    ONE("one"),
    /** Up to, but not including, a third of the nodes. */
    MINORITY_THIRD("minority-third"),
    /** The largest number of nodes short of a majority. */
    MINORITY("minority"),
    /** The smallest majority. */
    MAJORITY("majority"),
    /** Every node. */
    ALL("all");

    private final String label;

    NodeSpec(String label) {
        this.label = label;
    }

    /** Jepsen's name for it, as the history records it. */
    public String label() {
        return label;
    }

    /** The nodes this spec picks from {@code nodes}. */
    public List<String> pick(List<String> nodes, Random random) {
        if (this == ONE) {
            return List.of(nodes.get(random.nextInt(nodes.size())));
        }
        if (this == ALL) {
            return List.copyOf(nodes);
        }
        int count = switch (this) {
            case NONEMPTY_SUBSET -> 1 + random.nextInt(nodes.size());
            case MINORITY_THIRD -> Nemesis.minorityThird(nodes.size());
            case MINORITY -> Nemesis.majority(nodes.size()) - 1;
            default -> Nemesis.majority(nodes.size());
        };
        List<String> shuffled = new ArrayList<>(nodes);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, count));
    }
}
