///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java
//DESCRIPTION Test fixture, not a solution: the in-memory kafka log the kafka-* test nodes share.

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import lib.Node;

/**
 * A test fixture: one node's in-memory kafka log, correct on a single node. The kafka-*
 * test nodes serve it as it is or override one step to break it in a known way.
 */
class KafkaLog {

    record Send(String key, long msg) {}

    record SendOk(long offset) {}

    record Poll(Map<String, Long> offsets) {}

    record PollOk(Map<String, List<long[]>> msgs) {}

    record CommitOffsets(Map<String, Long> offsets) {}

    record CommitOffsetsOk() {}

    record ListCommittedOffsets(List<String> keys) {}

    record ListCommittedOffsetsOk(Map<String, Long> offsets) {}

    /** At most this many messages per key in one poll, so final polls stay small. */
    static final int POLL_MAX = 50;

    /** key → offset → message. */
    private final Map<String, TreeMap<Long, Long>> logs = new HashMap<>();
    private final Map<String, Long> sends = new HashMap<>();
    private final Map<String, Long> committed = new HashMap<>();

    /** The offset for the {@code n}th message (from 0) of a key: n itself here. */
    long offset(String key, long n) {
        return n;
    }

    /** Keeps a message at an offset. */
    void store(TreeMap<Long, Long> log, long offset, long msg) {
        log.put(offset, msg);
    }

    synchronized long append(String key, long msg) {
        long offset = offset(key, sends.merge(key, 1L, Long::sum) - 1);
        store(logs.computeIfAbsent(key, k -> new TreeMap<>()), offset, msg);
        return offset;
    }

    synchronized Map<String, List<long[]>> poll(Map<String, Long> from) {
        var msgs = new LinkedHashMap<String, List<long[]>>();
        from.forEach((key, offset) -> {
            var pairs = new ArrayList<long[]>();
            logs.getOrDefault(key, new TreeMap<>()).tailMap(offset, true).entrySet().stream().limit(POLL_MAX)
                    .forEach(e -> pairs.add(new long[] {e.getKey(), e.getValue()}));
            msgs.put(key, pairs);
        });
        return msgs;
    }

    synchronized void commit(Map<String, Long> offsets) {
        offsets.forEach((key, offset) -> committed.merge(key, offset, Math::max));
    }

    synchronized Map<String, Long> committed(List<String> keys) {
        var result = new LinkedHashMap<String, Long>();
        keys.forEach(k -> {
            if (committed.containsKey(k)) result.put(k, committed.get(k));
        });
        return result;
    }

    /** Answers the kafka workload's four requests from this log until stdin ends. */
    void serve() {
        var node = new Node();
        node.handle(Send.class, r -> r.reply(new SendOk(append(r.body().key(), r.body().msg()))));
        node.handle(Poll.class, r -> r.reply(new PollOk(poll(r.body().offsets()))));
        node.handle(CommitOffsets.class, r -> {
            commit(r.body().offsets());
            r.reply(new CommitOffsetsOk());
        });
        node.handle(ListCommittedOffsets.class, r -> r.reply(new ListCommittedOffsetsOk(committed(r.body().keys()))));
        node.run();
    }
}
