package tests.support;

import bench.Op;
import bench.report.Verdict;
import bench.workload.Workload;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A workload that hands every call to another: a test extends it and overrides only what
 * it watches or changes, so that nothing else of the real workload is lost on the way
 * (its idempotent reads, its reusable clients, its timeout, its final phase and pacing).
 */
public abstract class ForwardingWorkload implements Workload {

    /** The workload every call goes to unless overridden. */
    protected final Workload delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingWorkload(Workload delegate) {
        this.delegate = delegate;
    }

    @Override
    public ObjectNode setup(String node, List<String> nodes) {
        return delegate.setup(node, nodes);
    }

    @Override
    public ObjectNode next(int process, Random random) {
        return delegate.next(process, random);
    }

    @Override
    public boolean idempotent(String f) {
        return delegate.idempotent(f);
    }

    @Override
    public boolean reusableClient() {
        return delegate.reusableClient();
    }

    @Override
    public Duration requestTimeout() {
        return delegate.requestTimeout();
    }

    @Override
    public boolean hasFinalPhase() {
        return delegate.hasFinalPhase();
    }

    @Override
    public ObjectNode nextFinal(int process, Random random) {
        return delegate.nextFinal(process, random);
    }

    @Override
    public double finalRate(String f) {
        return delegate.finalRate(f);
    }

    @Override
    public void completed(Op op) {
        delegate.completed(op);
    }

    @Override
    public ObjectNode continuation(Op op) {
        return delegate.continuation(op);
    }

    @Override
    public Verdict check(List<Op> history) {
        return delegate.check(history);
    }
}
