///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java ../fixtures/kafka-log.java
//DESCRIPTION A deliberately broken kafka node: gives each key's messages decreasing offsets.

/**
 * The in-memory log, except that a key's later messages get lower offsets, so a client
 * sending twice to a key sees its second message acknowledged before its first.
 */
class KafkaReordersOffsets {
    public static void main(String... args) {
        new KafkaLog() {
            @Override
            long offset(String key, long n) {
                return 1_000_000 - n;
            }
        }.serve();
    }
}
