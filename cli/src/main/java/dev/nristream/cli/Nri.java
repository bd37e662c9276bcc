package dev.nristream.cli;

import dev.nristream.analytics.AnalyticsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ./nri} command line: one entry point for the feeds, the trainer, the stream job and the demo.
 *
 * <pre>{@code
 * ./nri --help
 * ./nri simulate --system springs --atoms 5 --out data/springs5
 * }</pre>
 */
@Command(
        name = "nri",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Neural relational inference on live multi-agent tracking feeds.",
        subcommands = {
            CommandLine.HelpCommand.class,
            AnalyticsCommand.class,
            TailCommand.class,
            DemoCommand.class,
            SimulateCommand.class,
            MocapCommand.class,
            NbaCommand.class,
            ReplayCommand.class,
            BenchCommand.class,
            JobCommand.class, SwapModelCommand.class,
            TrainCommand.class, EvaluateCommand.class, ExportCommand.class, UpgradeModelCommand.class,
            BaselineCommand.class, ReproduceCommand.class, PlotCommand.class,
        })
public final class Nri implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Nri());
        cli.setExecutionExceptionHandler(new UserErrorHandler());
        return cli;
    }

    @Override
    public void run() {
        // No subcommand: show what there is to do.
        spec.commandLine().usage(System.out);
    }
}
