package io.sparksweep.spec;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Limits that keep a small sweep file from costing much: how deep collections nest, and how many values the
 * document holds once every alias is expanded (a few hundred bytes of nested aliases can stand for billions of
 * values, which Java's {@code toString} or a loop over them would expand). Checked on the parser's event stream,
 * which holds no tree and recurses nowhere, before the composer (which recurses) builds anything.
 */
final class YamlLimits {
    static final int MAX_DEPTH = 32;
    static final long MAX_VALUES = 100_000;

    /** An open collection: its anchor and the values it holds so far, aliases expanded. */
    private static final class Open {
        final Optional<Anchor> anchor;
        long values = 1;

        Open(Optional<Anchor> anchor) {
            this.anchor = anchor;
        }
    }

    private YamlLimits() {
    }

    /** @throws SpecException naming the limit */
    static void check(LoadSettings settings, String text, String source) {
        Deque<Open> open = new ArrayDeque<>();
        Map<Anchor, Long> sizes = new HashMap<>();
        long total = 0;
        for (Event event : new Parse(settings).parseString(text)) {
            long added = switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    open.push(new Open(((NodeEvent) event).getAnchor()));
                    if (open.size() > MAX_DEPTH) {
                        throw new SpecException(source, "yaml", "nests collections more than " + MAX_DEPTH
                                + " levels deep");
                    }
                    yield 1; // counted in its own Open, added to its parent when it closes
                }
                case Scalar -> {
                    ((NodeEvent) event).getAnchor().ifPresent(anchor -> sizes.put(anchor, 1L));
                    yield addToOpen(open, 1);
                }
                case Alias -> addToOpen(open, sizes.getOrDefault(((AliasEvent) event).getAlias(), 1L));
                case MappingEnd, SequenceEnd -> {
                    Open closed = open.pop();
                    closed.anchor.ifPresent(anchor -> sizes.put(anchor, closed.values));
                    addToOpen(open, closed.values);
                    yield 0; // already in the total
                }
                default -> 0;
            };
            total += added;
            if (total > MAX_VALUES) {
                throw new SpecException(source, "yaml", "holds more than " + MAX_VALUES
                        + " values once its aliases are expanded; a sweep file needs far fewer");
            }
        }
    }

    private static long addToOpen(Deque<Open> open, long values) {
        if (!open.isEmpty()) {
            open.peek().values += values;
        }
        return values;
    }
}
