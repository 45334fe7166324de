//DEPS org.jfree:jfreechart:1.5.6

/**
 * Pictures of a run, written beside its results.json, and the pages {@code bench serve}
 * shows them in: latency and rate over time ({@link bench.view.Charts}), a Lamport
 * diagram of the messages ({@link bench.view.LamportDiagram}), a per-process timeline
 * ({@link bench.view.Timeline}), and the sweep's plot ({@link bench.view.SweepPlot}).
 *
 * <p>The one dependency above is the bench's own: every file under bench/ is sourced by
 * bench.java and tests.java alike, and by no node script, so it is declared once, here,
 * and nodes never load it. JFreeChart draws the two charts (axes, legends, log scales,
 * shaded intervals) headless into PNG with nothing but the JDK's java.desktop module.
 */
package bench.view;
