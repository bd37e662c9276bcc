package dev.nristream.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Learned edges drawn on a motion-capture skeleton, as the NRI paper's Fig. 7: the bones in light grey, every joint
 * pair whose mean edge probability exceeds the threshold as a red line, more opaque and wider the more probable.
 * Front view, equal scale on both axes, y up.
 *
 * <pre>{@code
 * SkeletonEdgesPicture.write(layout, pairProbability, 0.5, "mocap35: learned edges", Path.of("edges.png"));
 * }</pre>
 */
public final class SkeletonEdgesPicture {
    private static final int WIDTH = 640;
    private static final int HEIGHT = 800;
    private static final int MARGIN = 50;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font NOTE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color BONE = new Color(200, 200, 200);
    private static final Color EDGE = new Color(214, 39, 40);

    private SkeletonEdgesPicture() {
    }

    /**
     * @param pairProbability symmetric [joint][joint] probability of an edge (NaN on the diagonal)
     * @param threshold pairs at or below it are not drawn
     * @return how many pairs were drawn
     */
    public static int write(SkeletonLayout skeleton, double[][] pairProbability, double threshold, String title,
            Path png) {
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        int n = skeleton.joints();
        double[] px = new double[n];
        double[] py = new double[n];
        project(skeleton, px, py);
        g.setColor(BONE);
        g.setStroke(new BasicStroke(5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (skeleton.bones()[i][j]) {
                    g.draw(new Line2D.Double(px[i], py[i], px[j], py[j]));
                }
            }
        }
        List<int[]> drawn = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                if (pairProbability[i][j] > threshold) {
                    drawn.add(new int[] {i, j});
                }
            }
        }
        // The most probable last, so they lie on top.
        drawn.sort(Comparator.comparingDouble(e -> pairProbability[e[0]][e[1]]));
        for (int[] e : drawn) {
            double s = threshold >= 1 ? 1 : (pairProbability[e[0]][e[1]] - threshold) / (1 - threshold);
            g.setColor(new Color(EDGE.getRed(), EDGE.getGreen(), EDGE.getBlue(), (int) Math.round(255 * (0.25 + 0.75 * s))));
            g.setStroke(new BasicStroke((float) (1.5 + 4.5 * s), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(new Line2D.Double(px[e[0]], py[e[0]], px[e[1]], py[e[1]]));
        }
        g.setColor(new Color(60, 60, 60));
        for (int i = 0; i < n; i++) {
            g.fill(new Ellipse2D.Double(px[i] - 4, py[i] - 4, 8, 8));
        }
        g.setColor(Color.BLACK);
        g.setFont(TITLE);
        FontMetrics fm = g.getFontMetrics();
        g.drawString(title, Math.max(5, (WIDTH - fm.stringWidth(title)) / 2), 10 + fm.getAscent());
        g.setFont(NOTE);
        String note = String.format(java.util.Locale.ROOT, "grey: skeleton bones; red: %d joint pairs with P(edge) > "
                + "%.2f, darker and wider = more probable", drawn.size(), threshold);
        g.drawString(note, Math.max(5, (WIDTH - g.getFontMetrics().stringWidth(note)) / 2), HEIGHT - 15);
        g.dispose();
        PngFile.write(img, png);
        return drawn.size();
    }

    /** Pixel positions: equal scale on both axes, centred, y up. */
    private static void project(SkeletonLayout s, double[] px, double[] py) {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.joints(); i++) {
            minX = Math.min(minX, s.x()[i]);
            maxX = Math.max(maxX, s.x()[i]);
            minY = Math.min(minY, s.y()[i]);
            maxY = Math.max(maxY, s.y()[i]);
        }
        double w = WIDTH - 2.0 * MARGIN;
        double h = HEIGHT - 2.0 * MARGIN - 30;
        double scale = Math.min(w / Math.max(maxX - minX, 1e-9), h / Math.max(maxY - minY, 1e-9));
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2;
        for (int i = 0; i < s.joints(); i++) {
            px[i] = WIDTH / 2.0 + (s.x()[i] - cx) * scale;
            py[i] = MARGIN + 15 + h / 2 - (s.y()[i] - cy) * scale;
        }
    }
}
