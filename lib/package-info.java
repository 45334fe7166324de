//JAVA 25
//DEPS com.fasterxml.jackson.core:jackson-databind:2.20.1
//DEPS info.picocli:picocli:4.7.7

/**
 * The node library: every script pulls it in with {@code //SOURCES lib/*.java}, and
 * writes only its algorithm against {@link lib.Node}, {@link lib.Request},
 * {@link lib.KV} and {@link lib.RpcError}.
 *
 * <p>The directives above are the project's one record of its JDK and its dependencies'
 * versions. JBang merges the directives of every file a script sources, so the scripts,
 * the broken nodes of the tests, the bench (which sources this file alone of lib/) and
 * the tests take them from here, and {@code ./jbang} reads the {@code //JAVA} line.
 */
package lib;
