package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import lib.RaftLog;
import org.junit.jupiter.api.Test;

class RaftLogTest {

    record E(long term, String what) implements RaftLog.Entry {}

    /** A log of entries of these terms, named by their index. */
    static RaftLog<E> logOf(long... terms) {
        var log = new RaftLog<E>();
        for (long term : terms) log.append(new E(term, "e" + (log.lastIndex() + 1)));
        return log;
    }

    static List<Long> terms(RaftLog<E> log) {
        return log.from(1, Integer.MAX_VALUE).stream().map(E::term).toList();
    }

    @Test
    void theEmptyPrefixMatchesAndHasTermZero() {
        var log = logOf();
        assertEquals(0, log.lastIndex());
        assertEquals(0, log.lastTerm());
        assertTrue(log.matches(0, 0));
        assertFalse(log.matches(1, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> log.get(1));
    }

    @Test
    void theConsistencyCheckComparesTerms() {
        var log = logOf(1, 1, 2);
        assertTrue(log.matches(3, 2));
        assertFalse(log.matches(3, 1), "another term at that index");
        assertFalse(log.matches(4, 2), "past the end");
    }

    @Test
    void mergeDeletesFromTheFirstConflictOnly() {
        var log = logOf(1, 1, 2, 2);
        long firstWritten = log.merge(1, List.of(new E(1, "x"), new E(3, "y")));
        assertEquals(3, firstWritten, "entry 2 was held; 3 was written");
        assertEquals(List.of(1L, 1L, 3L), terms(log), "entry 3 conflicted: it and all after it went");
        assertEquals("e2", log.get(2).what(), "entry 2 was held already and kept");
    }

    @Test
    void aLateShorterAppendNeverShortensTheLog() {
        var log = logOf(1, 1, 1, 1);
        assertEquals(3, log.merge(0, List.of(new E(1, "a"), new E(1, "b"))), "nothing written: one past the last new entry");
        assertEquals(4, log.lastIndex(), "nothing conflicted: the entries beyond stay");
    }

    @Test
    void mergeWritesNewEntriesAfterTheHeldOnes() {
        var log = logOf(1, 1);
        assertEquals(3, log.merge(1, List.of(new E(1, "b"), new E(1, "c"), new E(1, "d"))));
        assertEquals(4, log.lastIndex());
    }

    @Test
    void placeReplaysWritesInOrder() {
        var log = logOf(1, 1, 1);
        log.place(4, new E(1, "d"));
        log.place(2, new E(2, "x"));
        assertEquals(List.of(1L, 2L), terms(log), "placing at 2 dropped what was there and after");
        assertThrows(IndexOutOfBoundsException.class, () -> log.place(4, new E(2, "gap")));
    }

    @Test
    void backOffSkipsAWholeTermOrGoesToTheEnd() {
        var log = logOf(1, 2, 2, 2);
        assertEquals(2, log.backOff(4), "the first entry of the conflicting term 2");
        assertEquals(5, log.backOff(9), "just past a shorter log");
        assertEquals(1, logOf(3, 3).backOff(2));
    }

    @Test
    void fromIsBoundedAndEmptyPastTheEnd() {
        var log = logOf(1, 1, 1);
        assertEquals(2, log.from(2, 5).size());
        assertEquals(1, log.from(1, 1).size());
        assertEquals(List.of(), log.from(4, 5));
    }

    @Test
    void upToDateIsByLastTermThenLength() {
        var log = logOf(1, 2);
        assertTrue(log.upToDate(1, 3), "a later last term wins, though shorter");
        assertTrue(log.upToDate(2, 2), "same term, as long");
        assertFalse(log.upToDate(1, 2), "same term, shorter");
        assertFalse(log.upToDate(5, 1), "an earlier last term loses, though longer");
    }
}
