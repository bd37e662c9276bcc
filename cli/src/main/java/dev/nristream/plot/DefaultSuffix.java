package dev.nristream.plot;

import dev.nristream.model.ModelSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dataset suffix a model was trained on, for when {@code --suffix} is not given: the {@code --suffix} of the
 * training command model.json records (mocap35 trains on {@code _mocap35}, not {@code _mocap31}), else
 * {@code _<system><atoms>} as {@code ./nri evaluate} assumes.
 *
 * <pre>{@code
 * String sfx = DefaultSuffix.of(spec);     // "_mocap35"
 * }</pre>
 */
public final class DefaultSuffix {
    private static final Pattern SUFFIX = Pattern.compile("--suffix[ =](\\S+)");

    private DefaultSuffix() {
    }

    public static String of(ModelSpec spec) {
        if (spec.training() != null && spec.training().command() != null) {
            Matcher m = SUFFIX.matcher(spec.training().command());
            if (m.find()) {
                return m.group(1);
            }
        }
        return "_" + spec.system() + spec.atoms();
    }
}
