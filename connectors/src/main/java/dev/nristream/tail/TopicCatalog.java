package dev.nristream.tail;

import dev.nristream.topic.TopicSpec;
import dev.nristream.topic.Topics;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every topic declared in {@link Topics}, found by name: read from its constants, so a topic added there is
 * known here without another list to keep in step.
 */
public final class TopicCatalog {

    private static final List<TopicSpec<?, ?>> ALL = collect();

    private TopicCatalog() {
    }

    /** All declared topics, in declaration order. */
    public static List<TopicSpec<?, ?>> all() {
        return ALL;
    }

    /** Their names. */
    public static List<String> names() {
        return ALL.stream().map(TopicSpec::name).toList();
    }

    /** The topic called {@code name}. */
    public static Optional<TopicSpec<?, ?>> find(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /**
     * The topic called {@code name}.
     *
     * @throws UnknownTopicException naming the known topics
     */
    public static TopicSpec<?, ?> require(String name) {
        return find(name).orElseThrow(() -> new UnknownTopicException(name, names()));
    }

    private static List<TopicSpec<?, ?>> collect() {
        List<TopicSpec<?, ?>> out = new ArrayList<>();
        for (Field f : Topics.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == TopicSpec.class) {
                try {
                    out.add((TopicSpec<?, ?>) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("cannot read Topics." + f.getName(), e);
                }
            }
        }
        return List.copyOf(out);
    }
}
