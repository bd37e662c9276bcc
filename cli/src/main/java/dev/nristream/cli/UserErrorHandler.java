package dev.nristream.cli;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns user mistakes into one readable line and exit code 2; anything else keeps its stack trace, since it is a
 * bug worth reporting.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    static final int USER_ERROR_EXIT = 2;

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult)
            throws Exception {
        Throwable t = ex instanceof UncheckedIOException u ? u.getCause() : ex;
        if (t instanceof UserError || t instanceof IllegalArgumentException) {
            cmd.getErr().println(cmd.getColorScheme().errorText("nri " + cmd.getCommandName() + ": " + t.getMessage()));
            return USER_ERROR_EXIT;
        }
        if (t instanceof NoSuchFileException || t instanceof FileNotFoundException) {
            cmd.getErr().println(cmd.getColorScheme().errorText("nri " + cmd.getCommandName() + ": no such file: " + t.getMessage()));
            return USER_ERROR_EXIT;
        }
        throw ex;
    }
}
