package tests.lib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import lib.OneInFlight;
import org.junit.jupiter.api.Test;

class OneInFlightTest {

    @Test
    void aPeerGetsNoRequestWhileOneIsInFlight() {
        var inFlight = new OneInFlight();
        var asked = new ArrayList<String>();
        var toA = new CompletableFuture<Void>();
        inFlight.sendEach(List.of("a", "b"), peer -> {
            asked.add(peer);
            return peer.equals("a") ? toA : null; // nothing for b yet
        });
        inFlight.sendEach(List.of("a", "b"), peer -> {
            asked.add(peer);
            return null;
        });
        assertEquals(List.of("a", "b", "b"), asked, "a was skipped while its request was in flight");
        toA.completeExceptionally(new IllegalStateException("timed out")); // a failure frees it too
        inFlight.sendEach(List.of("a"), peer -> {
            asked.add(peer);
            return null;
        });
        assertEquals(List.of("a", "b", "b", "a"), asked);
    }

    @Test
    void aPeerWhoseRequestCouldNotBeMadeIsNotLeftBusy() {
        var inFlight = new OneInFlight();
        assertThrows(IllegalStateException.class, () -> inFlight.sendEach(List.of("a"), peer -> {
            throw new IllegalStateException("no batch");
        }));
        var asked = new ArrayList<String>();
        inFlight.sendEach(List.of("a"), peer -> {
            asked.add(peer);
            return CompletableFuture.completedFuture(null);
        });
        inFlight.sendEach(List.of("a"), peer -> {
            asked.add(peer);
            return null;
        });
        assertEquals(List.of("a", "a"), asked, "a completed request frees the peer at once");
    }
}
