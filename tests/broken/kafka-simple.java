///usr/bin/env jbang "$0" "$@" ; exit $?
//SOURCES ../../lib/*.java kafka-log.java
//DESCRIPTION Test fixture, not a solution: a correct single-node kafka log kept in memory.

/**
 * A test fixture: the plain in-memory log, correct when it is the only node. On two
 * nodes each keeps its own offsets, so they hand out the same offset for different
 * messages: the same script is then the broken node for inconsistent offsets.
 */
class KafkaSimple {
    public static void main(String... args) {
        new KafkaLog().serve();
    }
}
