package dev.nristream.feed.csv;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Column mapping and metadata for {@link CsvFrameSource}. Build with {@link #builder(CsvLayout, double)}; only the
 * layout and the sampling rate are required, every other setting has a default.
 *
 * <pre>{@code
 * CsvOptions opts = CsvOptions.builder(CsvLayout.WIDE, 25.0)
 *         .withUnit("ft").withOrigin("corner").withExtent(94, 50)
 *         .build();
 * }</pre>
 *
 * @param layout wide or long
 * @param rateHz sampling rate of the rows, in Hz (frames are {@code 1000 / rateHz} ms apart when there is no time
 *     column)
 * @param frameColumn column with the frame number (default "frame"); null to number rows (wide) from 0
 * @param timeColumn optional column with the time in seconds; when set it gives the event times
 * @param agentColumn long layout: the agent id column (default "agent")
 * @param xColumn long layout: x column (default "x")
 * @param yColumn long layout: y column (default "y")
 * @param zColumn long layout: z column (default "z", used only when the header has it)
 * @param scale multipliers for x, y, z (e.g. 94, 50, 1 to turn unit-square NBA coordinates into feet)
 * @param unit unit written into the frames' coordinate system (default "unknown")
 * @param origin origin written into the coordinate system (default "unknown")
 * @param extent playing-area size per axis in {@code unit}, or null
 * @param sceneId scene id; null derives it from the file name
 */
public record CsvOptions(CsvLayout layout, double rateHz, String frameColumn, String timeColumn, String agentColumn,
        String xColumn, String yColumn, String zColumn, double[] scale, String unit, String origin,
        List<Double> extent, String sceneId) {

    public CsvOptions {
        Objects.requireNonNull(layout, "layout");
        if (!(rateHz > 0) || Double.isInfinite(rateHz)) {
            throw new IllegalArgumentException("rate must be a positive number of Hz, got " + rateHz);
        }
        if (frameColumn == null && timeColumn == null && layout == CsvLayout.LONG) {
            throw new IllegalArgumentException("a long CSV needs a frame or a time column to group its rows");
        }
        if (scale == null || scale.length != 3) {
            throw new IllegalArgumentException("scale needs three multipliers (x, y, z)");
        }
    }

    public static Builder builder(CsvLayout layout, double rateHz) {
        return new Builder(layout, rateHz);
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private final CsvLayout layout;
        private final double rateHz;
        private String frameColumn = "frame";
        private String timeColumn;
        private String agentColumn = "agent";
        private String xColumn = "x";
        private String yColumn = "y";
        private String zColumn = "z";
        private double[] scale = {1, 1, 1};
        private String unit = "unknown";
        private String origin = "unknown";
        private List<Double> extent;
        private String sceneId;

        private Builder(CsvLayout layout, double rateHz) {
            this.layout = layout;
            this.rateHz = rateHz;
        }

        public Builder withFrameColumn(String c) {
            frameColumn = c;
            return this;
        }

        public Builder withTimeColumn(String c) {
            timeColumn = c;
            return this;
        }

        public Builder withAgentColumn(String c) {
            agentColumn = c;
            return this;
        }

        public Builder withXyzColumns(String x, String y, String z) {
            xColumn = x;
            yColumn = y;
            zColumn = z;
            return this;
        }

        public Builder withScale(double x, double y, double z) {
            scale = new double[] {x, y, z};
            return this;
        }

        public Builder withUnit(String u) {
            unit = u;
            return this;
        }

        public Builder withOrigin(String o) {
            origin = o;
            return this;
        }

        public Builder withExtent(double... e) {
            List<Double> l = new ArrayList<>();
            for (double d : e) {
                l.add(d);
            }
            extent = e.length == 0 ? null : List.copyOf(l);
            return this;
        }

        public Builder withSceneId(String s) {
            sceneId = s;
            return this;
        }

        public CsvOptions build() {
            return new CsvOptions(layout, rateHz, frameColumn, timeColumn, agentColumn, xColumn, yColumn, zColumn,
                    scale.clone(), unit, origin, extent, sceneId);
        }
    }
}
