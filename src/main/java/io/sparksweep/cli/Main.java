package io.sparksweep.cli;

import io.sparksweep.BadInputException;
import io.sparksweep.SweepAbortedException;
import io.sparksweep.device.UnusableGpuException;
import io.sparksweep.results.ResultFileErrors;
import io.sparksweep.BuildInfo;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.Arrays;
import java.util.Optional;

/**
 * The {@code sparksweep} command line, also the spark-submit application class. Exit codes: 0 success, 1 a
 * failure while running, 2 bad input (sweep file, dataset, options). Errors are one line; {@code --verbose}
 * adds the stack trace.
 */
@Command(name = "sparksweep", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Hyperparameter sweeps of DL4J image classifiers on Apache Spark.",
        subcommands = {RunCommand.class, QueryCommand.class, TablesCommand.class, ReportCommand.class,
            DoctorCommand.class, SimulateCommand.class, BenchCommand.class, ModelsCommand.class, ExportCommand.class,
            EvaluateCommand.class, PredictCommand.class, ConvertCommand.class, ExampleDataCommand.class})
public final class Main {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int BAD_INPUT = 2;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
    public static int execute(String... args) {
        if (Arrays.asList(args).contains("--verbose")) {
            // conf/log4j2.properties quiets the traces of failed Spark tasks; --verbose wants every detail
            Configurator.setLevel("org.apache.spark.executor.Executor", Level.WARN);
            Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.WARN);
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler((e, ignoredArgs) -> {
            // One line, like every other error: the usage text is one --help away.
            CommandLine failed = e.getCommandLine();
            failed.getErr().println("error: " + e.getMessage() + " (see '" + failed.getCommandSpec().qualifiedName()
                    + " --help')");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = parseResult.subcommand() != null
                    && parseResult.subcommand().hasMatchedOption("--verbose");
            if (verbose) {
                e.printStackTrace();
            }
            if (e instanceof SweepAbortedException || e instanceof UnusableGpuException) {
                String message = e instanceof UnusableGpuException u ? u.userMessage() : e.getMessage();
                commandLine.getErr().println("error: " + message);
                return FAILURE;
            }
            if (e instanceof BadInputException) {
                commandLine.getErr().println("error: " + e.getMessage());
                return BAD_INPUT;
            }
            Optional<String> fileProblem = ResultFileErrors.explain(e);
            if (fileProblem.isPresent()) { // the output's files or disk, not SparkSweep: like an unwritable output
                commandLine.getErr().println("error: " + fileProblem.get());
                return BAD_INPUT;
            }
            commandLine.getErr().println("error: " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + (verbose ? "" : " (--verbose shows the stack trace)"));
            return FAILURE;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"sparksweep " + BuildInfo.version() + " (dl4j " + BuildInfo.dl4jVersion() + ", "
                    + BuildInfo.backend() + ")"};
        }
    }
}
