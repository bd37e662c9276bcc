package dev.nristream.replay;

import dev.nristream.feed.FeedProblems;
import dev.nristream.feed.FrameSource;
import java.io.IOException;

/** Opens a feed, once per replay pass ({@code --loop} opens it again). */
@FunctionalInterface
public interface FrameSourceFactory {

    /**
     * @param problems where the source reports bad input
     * @throws java.nio.file.NoSuchFileException when a file is missing
     */
    FrameSource open(FeedProblems problems) throws IOException;
}
