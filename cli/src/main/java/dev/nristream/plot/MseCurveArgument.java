package dev.nristream.plot;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One curve asked for on the command line: {@code LABEL=FILE.json[:key]}, the legend text, the JSON file and, when
 * given, the key of the per-step MSE array inside it.
 *
 * <pre>{@code
 * MseCurveArgument a = MseCurveArgument.parse("NRI (dynamic)=runs/eval-dyn.json:dynamic_mse");
 * }</pre>
 *
 * @param key null when the argument named none (the file's only per-step MSE array is meant)
 */
public record MseCurveArgument(String label, Path file, String key) {
    // The key is split off only after ".json", so a path holding ':' still works when no key is given.
    private static final Pattern WITH_KEY = Pattern.compile("(.+\\.json):([A-Za-z0-9_.-]+)", Pattern.CASE_INSENSITIVE);

    /** Parses {@code LABEL=FILE.json[:key]}; the label is everything before the first '='. */
    public static MseCurveArgument parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1) {
            throw new IllegalArgumentException("curve '" + arg + "' is not LABEL=FILE.json[:key] (e.g. "
                    + "NRI=eval.json:mse)");
        }
        String label = arg.substring(0, eq);
        String rest = arg.substring(eq + 1);
        Matcher m = WITH_KEY.matcher(rest);
        if (m.matches()) {
            return new MseCurveArgument(label, Path.of(m.group(1)), m.group(2));
        }
        return new MseCurveArgument(label, Path.of(rest), null);
    }
}
