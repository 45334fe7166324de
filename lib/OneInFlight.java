package lib;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * At most one request in flight to each peer, for a periodic task that sends peers what
 * they lack: a peer that does not answer costs one request per timeout rather than one
 * per period, and what it comes to lack meanwhile goes in the next request, once the
 * answer or the timeout has come.
 */
public final class OneInFlight {

    private final Set<String> busy = ConcurrentHashMap.newKeySet();

    /**
     * For each of {@code peers} with no request of this one's in flight, calls
     * {@code request} with it, which sends a request and returns its future (an
     * {@link Node#rpc}'s, with what to do on the answer chained on), or returns null to
     * send nothing now. The peer stays busy until that future completes.
     */
    public void sendEach(List<String> peers, Function<String, CompletableFuture<?>> request) {
        for (String peer : peers) {
            if (!busy.add(peer)) continue;
            CompletableFuture<?> sent = null;
            try {
                sent = request.apply(peer);
            } finally {
                if (sent == null) busy.remove(peer);
            }
            if (sent != null) sent.whenComplete((reply, error) -> busy.remove(peer));
        }
    }
}
