///usr/bin/env jbang "$0" "$@" ; exit $?
//DEPS org.junit.platform:junit-platform-console-standalone:6.0.1
//SOURCES tests/**.java bench/**.java lib/*.java
//DESCRIPTION Runs every test of the project and ends with "N passed, N failed, N skipped".

import static org.junit.platform.engine.discovery.ClassNameFilter.includeClassNamePatterns;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The test runner: every JUnit test class under tests/, run from the repository's
 * root. Prints each test as it ends and every failure in full, then a closing line
 * "N passed, N failed, N skipped"; exits 1 when a test failed or none ran.
 */
@Command(name = "tests", mixinStandardHelpOptions = true, version = "1.0",
        description = "Runs the project's tests (run it from the repository's root).")
class tests implements Callable<Integer> {

    @Option(names = "--select", paramLabel = "REGEX",
            description = "Only test classes whose full name matches, e.g. '.*Node.*'.")
    String select = ".*";

    public static void main(String... args) {
        System.exit(new CommandLine(new tests()).execute(args));
    }

    /** Counts results and prints them as they come. */
    static final class Report implements TestExecutionListener {
        final AtomicInteger passed = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicInteger skipped = new AtomicInteger();
        final List<String> failures = new ArrayList<>();
        final ConcurrentHashMap<String, Long> started = new ConcurrentHashMap<>();

        @Override
        public void executionStarted(TestIdentifier test) {
            started.put(test.getUniqueId(), System.nanoTime());
        }

        @Override
        public void executionSkipped(TestIdentifier test, String reason) {
            if (!test.isTest()) return;
            skipped.incrementAndGet();
            System.out.printf("SKIP %s: %s%n", name(test), reason);
        }

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            boolean ok = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL;
            if (!test.isTest() && ok) return; // a class's own failure (in @BeforeAll, say) counts
            double seconds = (System.nanoTime() - started.getOrDefault(test.getUniqueId(), System.nanoTime())) / 1e9;
            (ok ? passed : failed).incrementAndGet();
            System.out.printf("%s %s (%.1f s)%n", ok ? "PASS" : "FAIL", name(test), seconds);
            result.getThrowable().filter(t -> !ok).ifPresent(t -> {
                var trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                String failure = "FAIL " + name(test) + "\n" + trace;
                synchronized (failures) {
                    failures.add(failure);
                }
                System.out.println(failure);
            });
        }

        private static String name(TestIdentifier test) {
            String parent = test.getParentId().map(p -> p.replaceAll(".*\\[class:([^\\]]*)\\].*", "$1")).orElse("");
            return (parent.isEmpty() ? "" : parent.substring(parent.lastIndexOf('.') + 1) + " > ") + test.getDisplayName();
        }
    }

    @Override
    public Integer call() {
        var request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage("tests"))
                .filters(includeClassNamePatterns(select))
                .build();
        var report = new Report();
        var launcher = LauncherFactory.create();
        TestPlan plan = launcher.discover(request);
        System.out.printf("running %d tests%n", plan.countTestIdentifiers(TestIdentifier::isTest));
        launcher.execute(plan, report);
        if (!report.failures.isEmpty()) {
            System.out.println("\nfailures:");
            report.failures.forEach(f -> System.out.println(f.lines().limit(12).reduce((a, b) -> a + "\n" + b).orElse("")));
        }
        int passed = report.passed.get(), failed = report.failed.get(), skipped = report.skipped.get();
        System.out.printf("%n%d passed, %d failed, %d skipped%n", passed, failed, skipped);
        return failed == 0 && passed > 0 ? 0 : 1;
    }
}
