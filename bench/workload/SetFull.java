package bench.workload;

import bench.Json;
import bench.Op;
import bench.report.Verdict;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jepsen's set-full checker, which Maelstrom runs on broadcast (its broadcasts taken for
 * adds) and g-set: for each value added, whether it became stable (every read invoked
 * after some point saw it), was lost (acknowledged or seen, then missing from every later
 * read), or was never read; and the stable latencies, from an add's completion to the
 * invocation of the last read that missed its value.
 *
 * @param add        the operation that adds a value ("broadcast", "add")
 * @param valueField the field of its request that holds the value ("message", "element")
 * @param readField  the field of a read's reply that holds the values ("messages", "value")
 */
public record SetFull(String add, String valueField, String readField) {

    /** What set-full tracks for one value; events are positions in the history's event order. */
    private static final class Element {
        final JsonNode value;
        final Op added;
        Event known;
        Event lastPresent;
        Event lastAbsent;

        Element(JsonNode value, Op added) {
            this.value = value;
            this.added = added;
        }
    }

    /** An invocation or completion, at its index in the history. */
    private record Event(int index, long time, Op op, boolean invocation) {
    }

    /** Judges a history of adds and reads, in invocation order. */
    public Verdict check(List<Op> history) {
        List<Event> events = events(history);
        Map<Op, Event> invocations = new IdentityHashMap<>();
        Map<JsonNode, Element> elements = new LinkedHashMap<>();
        for (Event e : events) {
            Op op = e.op();
            if (e.invocation()) {
                invocations.put(op, e);
                if (op.f().equals(add)) {
                    JsonNode v = Json.normalize(op.request().get(valueField));
                    elements.put(v, new Element(v, op));
                }
                continue;
            }
            if (op.f().equals(add) && op.ok()) {
                Element el = elements.get(Json.normalize(op.request().get(valueField)));
                if (el != null && el.known == null) {
                    el.known = e;
                }
            } else if (op.f().equals("read") && op.ok() && op.reply().path(readField).isArray()) {
                Set<JsonNode> seen = new HashSet<>();
                op.reply().get(readField).forEach(m -> seen.add(Json.normalize(m)));
                Event inv = invocations.get(op);
                for (Element el : elements.values()) {
                    if (seen.contains(el.value)) {
                        if (el.known == null) {
                            el.known = e;
                        }
                        if (el.lastPresent == null || el.lastPresent.index() < inv.index()) {
                            el.lastPresent = inv;
                        }
                    } else if (el.lastAbsent == null || el.lastAbsent.index() < inv.index()) {
                        el.lastAbsent = inv;
                    }
                }
            }
        }
        return judge(elements.values());
    }

    /** Invocations and completions in time order; an invocation sorts before a completion at the same instant. */
    private static List<Event> events(List<Op> history) {
        record Raw(long time, int kind, Op op) {
        }
        List<Raw> raw = new ArrayList<>();
        for (Op op : history) {
            raw.add(new Raw(op.invokedAt(), 0, op));
            raw.add(new Raw(op.completedAt(), 1, op));
        }
        raw.sort(Comparator.comparingLong(Raw::time).thenComparingInt(Raw::kind));
        List<Event> events = new ArrayList<>();
        for (Raw r : raw) {
            events.add(new Event(events.size(), r.time(), r.op(), r.kind() == 0));
        }
        return events;
    }

    private Verdict judge(Collection<Element> elements) {
        List<Element> sorted = new ArrayList<>(elements);
        sorted.sort((a, b) -> a.value.isNumber() && b.value.isNumber()
                ? a.value.decimalValue().compareTo(b.value.decimalValue())
                : a.value.toString().compareTo(b.value.toString()));
        List<JsonNode> lost = new ArrayList<>(), neverRead = new ArrayList<>(), stale = new ArrayList<>();
        List<Long> stableLatencies = new ArrayList<>(), lostLatencies = new ArrayList<>();
        List<Element> staleElements = new ArrayList<>();
        Map<Element, Long> staleness = new IdentityHashMap<>();
        List<String> findings = new ArrayList<>();
        int stable = 0;
        for (Element el : sorted) {
            boolean isStable = el.lastPresent != null
                    && (el.lastAbsent == null ? -1 : el.lastAbsent.index()) < el.lastPresent.index();
            boolean isLost = el.known != null && el.lastAbsent != null
                    && (el.lastPresent == null ? -1 : el.lastPresent.index()) < el.lastAbsent.index()
                    && el.known.index() < el.lastAbsent.index();
            if (isStable) {
                stable++;
                long stableTime = el.lastAbsent == null ? 0 : el.lastAbsent.time() + 1;
                long latency = Math.max(0, stableTime - el.known.time()) / 1_000_000;
                stableLatencies.add(latency);
                if (latency > 0) {
                    stale.add(el.value);
                    staleElements.add(el);
                    staleness.put(el, latency);
                }
            } else if (isLost) {
                long lostTime = el.lastPresent == null ? 0 : el.lastPresent.time() + 1;
                lostLatencies.add(Math.max(0, lostTime - el.known.time()) / 1_000_000);
                lost.add(el.value);
                Op miss = el.lastAbsent.op();
                findings.add("value %s lost: %s by %s to %s at %d ms; missing from the %sread by %s on %s invoked at %d ms%s"
                        .formatted(el.value, el.added.ok() ? "acknowledged" : "seen by a read, " + add,
                                el.added.client(), el.added.node(), el.added.invokedAt() / 1_000_000,
                                miss.isFinal() ? "final " : "", miss.client(), miss.node(), miss.invokedAt() / 1_000_000,
                                el.lastPresent == null ? " and never seen by any read"
                                        : "; last seen by a read invoked at %d ms".formatted(el.lastPresent.time() / 1_000_000)));
            } else {
                neverRead.add(el.value);
            }
        }
        staleElements.sort(Comparator.comparing(staleness::get).reversed());
        ObjectNode details = Json.object().put("attempt-count", sorted.size()).put("stable-count", stable)
                .put("lost-count", lost.size());
        details.set("lost", Json.MAPPER.valueToTree(lost));
        details.put("never-read-count", neverRead.size());
        details.set("never-read", Json.MAPPER.valueToTree(neverRead));
        details.put("stale-count", stale.size());
        details.set("stale", Json.MAPPER.valueToTree(stale));
        ArrayNode worst = details.putArray("worst-stale");
        staleElements.stream().limit(8).forEach(el -> worst.addObject().<ObjectNode>set("element", el.value)
                .put("stable-latency", staleness.get(el)));
        if (!stableLatencies.isEmpty()) {
            details.set("stable-latencies", quantiles(stableLatencies));
        }
        if (!lostLatencies.isEmpty()) {
            details.set("lost-latencies", quantiles(lostLatencies));
        }
        Verdict.Validity validity = !lost.isEmpty() ? Verdict.Validity.INVALID
                : stable == 0 ? Verdict.Validity.UNKNOWN : Verdict.Validity.VALID;
        if (validity == Verdict.Validity.UNKNOWN) {
            findings.add("no value became stable: nothing was added (" + add + ") and read back");
        }
        return new Verdict(validity, details, findings);
    }

    /** Jepsen's frequency distribution at 0, 0.5, 0.95, 0.99 and 1. */
    private static ObjectNode quantiles(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        ObjectNode q = Json.object();
        for (double point : new double[] {0, 0.5, 0.95, 0.99, 1}) {
            int idx = Math.min(n - 1, (int) Math.floor(n * point));
            q.put(point == 0 ? "0" : point == 1 ? "1" : Double.toString(point), sorted.get(idx));
        }
        return q;
    }
}
