package dev.nristream.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Draws heatmaps of probabilities side by side under one title, every cell labelled with its value (two decimals),
 * on one fixed colour scale from 0 (white) to 1 (dark blue) so panels compare at a glance.
 *
 * <pre>{@code
 * HeatmapPicture.write(List.of(panel), "springs5: P(edge), mean over 100 windows", Path.of("edges.png"));
 * }</pre>
 */
public final class HeatmapPicture {
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 16);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color HIGH = new Color(8, 48, 107);
    private static final int MARGIN = 20;
    private static final int GAP = 40;

    private HeatmapPicture() {
    }

    public static void write(List<Heatmap> panels, String title, Path png) {
        PngFile.write(draw(panels, title), png);
    }

    static BufferedImage draw(List<Heatmap> panels, String title) {
        Graphics2D probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics label = probe.getFontMetrics(LABEL);
        FontMetrics big = probe.getFontMetrics(TITLE);
        probe.dispose();
        Layout[] layouts = new Layout[panels.size()];
        int width = MARGIN;
        int height = 0;
        for (int p = 0; p < panels.size(); p++) {
            layouts[p] = new Layout(panels.get(p), label, width);
            width += layouts[p].width + GAP;
            height = Math.max(height, layouts[p].height);
        }
        width = Math.max(width - GAP + MARGIN, big.stringWidth(title) + 2 * MARGIN);
        int top = MARGIN + big.getHeight() + 10;
        BufferedImage img = new BufferedImage(width, top + height + MARGIN, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        g.drawString(title, MARGIN, MARGIN + big.getAscent());
        for (int p = 0; p < panels.size(); p++) {
            layouts[p].draw(g, panels.get(p), top);
        }
        g.dispose();
        return img;
    }

    /** Colour of a probability: white at 0, dark blue at 1. */
    static Color colour(double v) {
        double t = Math.max(0, Math.min(1, v));
        return new Color((int) Math.round(255 + t * (HIGH.getRed() - 255)),
                (int) Math.round(255 + t * (HIGH.getGreen() - 255)), (int) Math.round(255 + t * (HIGH.getBlue() - 255)));
    }

    /** Where one panel's parts go: its title, the column axis and labels above the cells, the row labels left. */
    private static final class Layout {
        final int left;
        final int cell;
        final int rowLabelWidth;
        final int columnLabelHeight;
        final boolean rotateColumns;
        final int width;
        final int height;
        final FontMetrics fm;

        Layout(Heatmap h, FontMetrics fm, int left) {
            this.fm = fm;
            this.left = left;
            int n = Math.max(h.rowLabels().size(), h.columnLabels().size());
            // Big enough for "0.00" in every cell, small enough that 31 agents still fit a screen.
            cell = Math.max(fm.stringWidth("0.00") + 8, Math.min(70, 560 / Math.max(1, n)));
            rowLabelWidth = h.rowLabels().stream().mapToInt(fm::stringWidth).max().orElse(0) + fm.getHeight() + 12;
            int widest = h.columnLabels().stream().mapToInt(fm::stringWidth).max().orElse(0);
            rotateColumns = widest > cell - 4;
            columnLabelHeight = (rotateColumns ? widest : fm.getHeight()) + 8;
            int titleWidth = fm.stringWidth(h.title());
            width = Math.max(rowLabelWidth + cell * h.columnLabels().size(), titleWidth);
            height = 2 * fm.getHeight() + columnLabelHeight + cell * h.rowLabels().size() + 8;
        }

        void draw(Graphics2D g, Heatmap h, int top) {
            g.setFont(LABEL);
            g.setColor(Color.BLACK);
            g.drawString(h.title(), left, top + fm.getAscent());
            int axisY = top + fm.getHeight();
            int x0 = left + rowLabelWidth;
            g.drawString(h.columnAxis() + " \u2192", x0, axisY + fm.getAscent());
            int y0 = axisY + fm.getHeight() + columnLabelHeight;
            for (int c = 0; c < h.columnLabels().size(); c++) {
                String s = h.columnLabels().get(c);
                int cx = x0 + c * cell + cell / 2;
                if (rotateColumns) {
                    AffineTransform saved = g.getTransform();
                    g.rotate(-Math.PI / 2, cx + fm.getAscent() / 2.0, y0 - 4);
                    g.drawString(s, cx + fm.getAscent() / 2, y0 - 4);
                    g.setTransform(saved);
                } else {
                    g.drawString(s, cx - fm.stringWidth(s) / 2, y0 - 4 - fm.getDescent());
                }
            }
            AffineTransform saved = g.getTransform();
            int rowsHeight = cell * h.rowLabels().size();
            g.rotate(-Math.PI / 2, left + fm.getAscent(), y0 + rowsHeight / 2.0);
            String axis = "\u2190 " + h.rowAxis();
            g.drawString(axis, left + fm.getAscent() - fm.stringWidth(axis) / 2, y0 + rowsHeight / 2);
            g.setTransform(saved);
            for (int r = 0; r < h.rowLabels().size(); r++) {
                String s = h.rowLabels().get(r);
                int cy = y0 + r * cell + cell / 2;
                g.setColor(Color.BLACK);
                g.drawString(s, x0 - 6 - fm.stringWidth(s), cy + fm.getAscent() / 2 - 1);
                for (int c = 0; c < h.columnLabels().size(); c++) {
                    cell(g, h.values()[r][c], x0 + c * cell, y0 + r * cell);
                }
            }
            g.setColor(Color.GRAY);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(x0, y0, cell * h.columnLabels().size(), rowsHeight);
        }

        private void cell(Graphics2D g, double v, int x, int y) {
            boolean missing = Double.isNaN(v);
            g.setColor(missing ? new Color(235, 235, 235) : colour(v));
            g.fillRect(x, y, cell, cell);
            String s = missing ? "-" : String.format(Locale.ROOT, "%.2f", v);
            g.setColor(!missing && v > 0.55 ? Color.WHITE : Color.BLACK);
            g.drawString(s, x + (cell - fm.stringWidth(s)) / 2, y + (cell + fm.getAscent()) / 2 - 2);
        }
    }
}
