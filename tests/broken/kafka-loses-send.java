///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/kafka-log.java
//DESCRIPTION A deliberately broken kafka node: acknowledges every fifth send with an offset but never stores it.

import java.util.TreeMap;

/** The in-memory log, except that every fifth message is acknowledged and dropped: a lost write. */
class KafkaLosesSend {
    public static void main(String... args) {
        new KafkaLog() {
            private long stored;

            @Override
            void store(TreeMap<Long, Long> log, long offset, long msg) {
                if (++stored % 5 != 0) log.put(offset, msg);
            }
        }.serve();
    }
}
