package io.sparksweep.cli;

import picocli.CommandLine.Option;

/** The options every command that reads or writes result tables shares. */
final class ResultsOptions {
    @Option(names = "--output", defaultValue = "results", description = "results directory (default: ${DEFAULT-VALUE})")
    String output;

    @Option(names = "--verbose", description = "stack traces on errors")
    boolean verbose;
}
