package dev.nristream.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes a picture to exactly the path asked for (XChart's encoder would add ".png" to a name without it). */
final class PngFile {
    private PngFile() {
    }

    /** Writes {@code image} as PNG to {@code png}, creating its directory; a failure names the file. */
    static void write(BufferedImage image, Path png) {
        try {
            Path dir = png.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            if (!ImageIO.write(image, "png", png.toFile())) {
                throw new IllegalStateException("no PNG writer in this JVM");
            }
        } catch (IOException ex) {
            throw new IllegalArgumentException("cannot write " + png + ": " + ex.getMessage(), ex);
        }
    }
}
