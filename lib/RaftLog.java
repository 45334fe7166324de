package lib;

import java.util.ArrayList;
import java.util.List;

/**
 * A Raft log (Ongaro and Ousterhout, "In Search of an Understandable Consensus
 * Algorithm", figure 2): entries indexed from 1, each stamped with the term of the
 * leader that created it. Index 0 stands for the empty prefix, of term 0, which every
 * log holds, so the consistency check needs no special case at the start.
 *
 * <p>It holds the index arithmetic of the receiver's steps 2 to 4 of AppendEntries and
 * of the up-to-date rule of RequestVote, and nothing of terms, votes or commitment,
 * which belong to the node that owns the log. Not thread-safe: that owner guards it
 * together with the rest of its Raft state.
 *
 * @param <E> the entries, records of the owning script
 */
public final class RaftLog<E extends RaftLog.Entry> {

    /** A log entry: whatever it carries, and the term in which a leader created it. */
    public interface Entry {
        /** The term of the leader that created this entry. */
        long term();
    }

    private final List<E> entries = new ArrayList<>();

    /** The index of the last entry, 0 when the log is empty. */
    public long lastIndex() {
        return entries.size();
    }

    /** The term of the last entry, 0 when the log is empty. */
    public long lastTerm() {
        return termAt(lastIndex());
    }

    /** The term of the entry at {@code index}; 0 at index 0. */
    public long termAt(long index) {
        return index == 0 ? 0 : get(index).term();
    }

    /** The entry at {@code index}, from 1 to {@link #lastIndex}. */
    public E get(long index) {
        if (index < 1 || index > lastIndex()) throw new IndexOutOfBoundsException("no entry " + index + " in a log of " + lastIndex());
        return entries.get((int) (index - 1));
    }

    /** Appends {@code entry}, as a leader does; returns its index. */
    public long append(E entry) {
        entries.add(entry);
        return lastIndex();
    }

    /** At most {@code max} entries from {@code index} on (none when {@code index} is past the end). */
    public List<E> from(long index, int max) {
        int start = (int) Math.min(Math.max(index, 1) - 1, entries.size());
        return List.copyOf(entries.subList(start, (int) Math.min(entries.size(), (long) start + max)));
    }

    /** The consistency check: whether this log holds an entry at {@code index} of {@code term}. */
    public boolean matches(long index, long term) {
        return index <= lastIndex() && termAt(index) == term;
    }

    /**
     * Steps 3 and 4 of the receiver: puts {@code incoming} after {@code prevIndex}, which
     * {@link #matches}, deleting this log's entries from the first one that conflicts
     * (same index, another term) on. Entries held already are kept, as are any beyond
     * {@code incoming} when nothing conflicts: a late or repeated AppendEntries, which
     * pipelining and reordering bring, never shortens the log. The last new entry is at
     * {@code prevIndex + incoming.size()}. Returns the index of the first entry written,
     * one past that when every entry was held: the entries written are those from it to
     * the last new one, which a durable log must record.
     */
    public long merge(long prevIndex, List<E> incoming) {
        long index = prevIndex;
        long firstWritten = prevIndex + incoming.size() + 1;
        for (E entry : incoming) {
            index++;
            if (index <= lastIndex()) {
                if (termAt(index) == entry.term()) continue; // held: by Log Matching, so is all before it
                entries.subList((int) (index - 1), entries.size()).clear();
            }
            entries.add(entry);
            firstWritten = Math.min(firstWritten, index);
        }
        return firstWritten;
    }

    /**
     * Puts {@code entry} at {@code index}, deleting any entries from there on: replays a
     * record of {@link #append} or {@link #merge}, in the order they wrote.
     */
    public void place(long index, E entry) {
        if (index < 1 || index > lastIndex() + 1) throw new IndexOutOfBoundsException("no place " + index + " in a log of " + lastIndex());
        entries.subList((int) (index - 1), entries.size()).clear();
        entries.add(entry);
    }

    /**
     * Where a leader goes back to after the check failed at {@code prevIndex}: just past
     * this log's end when it is shorter, otherwise the first index this log holds of the
     * term that conflicts there, so that one round skips a whole term rather than one
     * entry (the paper's section 5.3 describes this optimisation).
     */
    public long backOff(long prevIndex) {
        if (prevIndex > lastIndex()) return lastIndex() + 1;
        long conflicting = termAt(prevIndex);
        long first = prevIndex;
        while (first > 1 && termAt(first - 1) == conflicting) first--;
        return first;
    }

    /**
     * The election restriction (section 5.4.1): whether a log ending at
     * {@code lastIndex} with an entry of {@code lastTerm} is at least as up to date as
     * this one: a later last term, or the same one and at least as long.
     */
    public boolean upToDate(long lastIndex, long lastTerm) {
        return lastTerm > lastTerm() || (lastTerm == lastTerm() && lastIndex >= lastIndex());
    }
}
