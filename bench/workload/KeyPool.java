package bench.workload;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * The key and value choice behind Maelstrom's txn-rw-register and kafka generators
 * (Elle's {@code wr-txns}): a pool of active integer keys (ten unless --key-count says
 * otherwise), picked with an exponential bias; each key accepts the values 1, 2, 3... in turn, up to a limit
 * drawn per key from a Zipf distribution over 1..maxWritesPerKey, after which the key
 * is retired for a fresh one. Values are therefore unique per key, which is what lets
 * the checkers tell writers apart.
 */
public final class KeyPool {

    /** Elle's default pool size for its exponential key distribution. */
    private static final int DEFAULT_KEY_COUNT = 10;
    /** Each key is this many times likelier than the one before it in the pool. */
    private static final double KEY_DIST_BASE = 2;
    /** Jepsen's default Zipf skew ("about 1"). */
    private static final double ZIPF_SKEW = 1.0001;

    /**
     * One drawn micro-op.
     *
     * @param write whether it is a write (else a read)
     * @param key   the key
     * @param value the value to write; 0 for reads
     */
    public record Draw(boolean write, long key, long value) {
    }

    private final long[] activeKeys;
    /** Writes allowed to the key in each slot; 0 until first drawn, as drawing needs the caller's Random. */
    private final int[] maxWrites;
    private final Map<Long, Long> nextValue = new HashMap<>();
    private final double[] zipfCumulative;
    private final double keyScale;

    /** A pool of {@code keyCount} keys (null for Elle's default) taking at most {@code maxWritesPerKey} writes each. */
    public KeyPool(Integer keyCount, int maxWritesPerKey) {
        if (maxWritesPerKey < 1) throw new IllegalArgumentException("max-writes-per-key must be positive");
        int count = keyCount == null ? DEFAULT_KEY_COUNT : keyCount;
        if (count < 1) throw new IllegalArgumentException("key-count must be positive");
        activeKeys = new long[count];
        maxWrites = new int[count];
        for (int i = 0; i < count; i++) activeKeys[i] = i;
        zipfCumulative = new double[maxWritesPerKey];
        double sum = 0;
        for (int i = 0; i < maxWritesPerKey; i++) {
            sum += 1 / Math.pow(i + 1, ZIPF_SKEW);
            zipfCumulative[i] = sum;
        }
        keyScale = KEY_DIST_BASE * (Math.pow(KEY_DIST_BASE, count) - 1) / (KEY_DIST_BASE - 1);
    }

    /** A read or a write (even odds) of a key from the pool, moving on to a fresh key when one is used up. */
    public Draw draw(Random random) {
        while (true) {
            boolean write = random.nextBoolean();
            int slot = keySlot(random);
            long key = activeKeys[slot];
            if (!write) return new Draw(false, key, 0);
            long value = nextValue.getOrDefault(key, 1L);
            if (value > maxWrites(slot, random)) {
                retire(slot, random);
                continue; // as Elle does: draw again, now that the slot holds a fresh key
            }
            nextValue.put(key, value + 1);
            return new Draw(true, key, value);
        }
    }

    /** Elle's exponential key distribution: slot i is KEY_DIST_BASE^i times likelier than slot 0. */
    private int keySlot(Random random) {
        double x = Math.log(random.nextDouble() * keyScale + KEY_DIST_BASE) / Math.log(KEY_DIST_BASE) - 1;
        return Math.min(activeKeys.length - 1, (int) Math.floor(x));
    }

    private int maxWrites(int slot, Random random) {
        if (maxWrites[slot] == 0) maxWrites[slot] = 1 + zipf(random);
        return maxWrites[slot];
    }

    /** Replaces the key in a slot with one never used, one above the highest active key. */
    private void retire(int slot, Random random) {
        long highest = activeKeys[0];
        for (long k : activeKeys) highest = Math.max(highest, k);
        nextValue.remove(activeKeys[slot]);
        activeKeys[slot] = highest + 1;
        maxWrites[slot] = 1 + zipf(random);
    }

    /** A Zipf-distributed integer in [0, maxWritesPerKey). */
    private int zipf(Random random) {
        double target = random.nextDouble() * zipfCumulative[zipfCumulative.length - 1];
        for (int i = 0; i < zipfCumulative.length; i++) {
            if (target < zipfCumulative[i]) return i;
        }
        return zipfCumulative.length - 1;
    }
}
