package io.sparksweep.cli;

import io.sparksweep.TestData;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One real sweep per search method through {@code run} on local Spark and real Fashion-MNIST (a small stratified
 * subset): TPE, TPE with ASHA, Hyperband over a grid, median stopping and the three budget limits, each checked
 * in the rows it leaves.
 */
@Tag("sweep")
class SearchMethodsRunTest {
    private static final String DATA = "dataset: {name: fashion-mnist, train_limit: 400, test_limit: 200}\n";

    @TempDir
    Path tmp;

    @Test
    void tpeProposesDistinctTrialsReproduciblyAndResumesWithoutRetraining() throws Exception {
        String sweep = """
                name: tpe-small
                method: tpe
                trials: 7
                sampler_seed: 5
                tpe: {startup_trials: 3, candidates: 12}
                parameters:
                  model: mlp
                  hidden_layers: {int_uniform: [8, 48]}
                  learning_rate: {log_uniform: [0.003, 0.3]}
                  optimizer: [sgd, adam]
                  epochs: 2
                """ + DATA;
        String first = run(sweep, "a", "--slots", "1");
        List<CSVRecord> trials = rows("a", "SELECT trial_id, method, status, hidden_layers, learning_rate, optimizer "
                + "FROM trials ORDER BY started_at");
        assertEquals(7, trials.size(), first);
        Set<String> configs = trials.stream().map(t -> t.get("hidden_layers") + t.get("learning_rate")
                + t.get("optimizer")).collect(Collectors.toSet());
        assertEquals(7, configs.size(), "TPE proposed a configuration twice: " + trials);
        trials.forEach(t -> assertEquals("tpe", t.get("method")));
        trials.forEach(t -> assertEquals("COMPLETED", t.get("status")));
        // one slot: the same completion order, so the same proposals in the same order
        run(sweep, "b", "--slots", "1");
        assertEquals(ids(trials), ids(rows("b", "SELECT trial_id FROM trials ORDER BY started_at")));
        // resume: the stored history is the sampler's, and the budget is spent
        String again = run(sweep, "a", "--slots", "1");
        assertTrue(again.contains("resuming: 7 trials of this sweep are stored"), again);
        assertEquals(7, rows("a", "SELECT trial_id FROM trials").size());
    }

    @Test
    void tpeWithAshaPrunesAtRungsAndTrainsFewerEpochs() throws Exception {
        String out = run("""
                name: tpe-asha
                method: tpe
                trials: 8
                tpe: {startup_trials: 3}
                scheduler: {asha: {min_epochs: 1, max_epochs: 4, eta: 2}}
                parameters:
                  hidden_layers: {int_uniform: [8, 48]}
                  learning_rate: {log_uniform: [0.0001, 0.3]}
                  optimizer: sgd
                """ + DATA, "asha");
        List<CSVRecord> trials = rows("asha", "SELECT status, epochs_trained, rung, method FROM trials");
        assertEquals(8, trials.size(), out);
        long pruned = trials.stream().filter(t -> t.get("status").equals("PRUNED")).count();
        assertTrue(pruned >= 1, "ASHA with eta 2 prunes some of 8 trials: " + trials);
        for (CSVRecord t : trials) {
            assertEquals("tpe+asha", t.get("method"));
            int epochs = Integer.parseInt(t.get("epochs_trained"));
            assertTrue(t.get("status").equals("PRUNED") ? Set.of(1, 2).contains(epochs) : epochs == 4, t.toString());
        }
        int trialEpochs = trials.stream().mapToInt(t -> Integer.parseInt(t.get("epochs_trained"))).sum();
        assertTrue(trialEpochs < 8 * 4, "trial-epochs " + trialEpochs);
    }

    @Test
    void hyperbandAndMedianStoppingOverAGrid() throws Exception {
        String grid = "parameters: {hidden_layers: [[8], [32]], learning_rate: [0.3, 0.1, 0.00001, 0.00002],"
                + " optimizer: sgd}\n";
        // one slot: the same arrivals at the rungs in every run, so the same decisions
        run("name: hb\nscheduler: {hyperband: {min_epochs: 1, max_epochs: 4, eta: 3}}\n" + DATA + grid, "hb",
                "--slots", "1");
        List<CSVRecord> hb = rows("hb", "SELECT status, epochs_trained, method FROM trials");
        assertEquals(8, hb.size());
        hb.forEach(t -> assertEquals("grid+hyperband", t.get("method")));
        assertTrue(hb.stream().anyMatch(t -> t.get("status").equals("PRUNED")), hb.toString());
        assertTrue(hb.stream().anyMatch(t -> t.get("status").equals("COMPLETED") && t.get("epochs_trained").equals("4")),
                hb.toString());

        // one slot, good learning rates first: two trials complete, then the tiny rates fall below their median
        String median = "name: med\nscheduler: {median: {grace_epochs: 1, min_trials: 2}}\n" + DATA
                + "parameters: {learning_rate: [0.3, 0.1, 0.00001, 0.00002], optimizer: sgd, epochs: 3}\n";
        run(median, "med", "--slots", "1");
        List<CSVRecord> med = rows("med", "SELECT learning_rate, status, epochs_trained FROM trials "
                + "ORDER BY learning_rate DESC");
        assertEquals(List.of("COMPLETED", "COMPLETED", "PRUNED", "PRUNED"),
                med.stream().map(t -> t.get("status")).toList(), med.toString());
        assertEquals(List.of("3", "3", "2", "2"), med.stream().map(t -> t.get("epochs_trained")).toList());
    }

    @Test
    void budgetsStopStartingTrialsAndSayWhich() throws Exception {
        String grid = "parameters: {learning_rate: [0.3, 0.1, 0.03, 0.01, 0.003], optimizer: sgd, epochs: 1}\n";
        String byTrials = run("name: b-trials\nbudget: {trials: 2}\n" + DATA + grid, "trials", "--slots", "1");
        assertTrue(byTrials.contains("the budget's trials limit (2 trials) was reached"), byTrials);
        assertEquals(2, rows("trials", "SELECT trial_id FROM trials").size());
        assertEquals("trials", rows("trials", "SELECT stopped_by FROM sweeps WHERE finished_at IS NOT NULL")
                .get(0).get("stopped_by"));

        String byTarget = run("name: b-target\nbudget: {target: 0.05}\n" + DATA + grid, "target", "--slots", "1");
        assertTrue(byTarget.contains("the budget's target limit"), byTarget);
        assertEquals(1, rows("target", "SELECT trial_id FROM trials").size(), byTarget);

        // a trial on the full training set takes longer than a second
        String slow = "parameters: {learning_rate: [0.3, 0.1, 0.03, 0.01, 0.003], optimizer: sgd, epochs: 2}\n";
        String byTime = run("name: b-time\nbudget: {time: 1s}\ndataset: {name: fashion-mnist, test_limit: 200}\n"
                + slow, "time", "--slots", "1");
        assertTrue(byTime.contains("the budget's time limit (1s) was reached"), byTime);
        assertTrue(rows("time", "SELECT trial_id FROM trials").size() < 5, byTime);
        // resumed, the stored trials count against the budget: nothing more starts
        String resumed = run("name: b-trials\nbudget: {trials: 2}\n" + DATA + grid, "trials", "--slots", "1");
        assertTrue(resumed.contains("finished 0 trials"), resumed);
    }

    private String run(String sweep, String output, String... extra) throws Exception {
        Path file = Files.writeString(tmp.resolve(output + ".yaml"), sweep);
        List<String> args = new ArrayList<>(List.of("run", file.toString(), "--master", "local[2]", "--no-ui",
                "--output", tmp.resolve(output).toString(), "--data-dir", TestData.FASHION_DIR.toString(),
                "--no-download"));
        args.addAll(List.of(extra));
        CliRunner.Outcome run = CliRunner.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.out() + run.err());
        return run.out();
    }

    private List<CSVRecord> rows(String output, String sql) throws Exception {
        CliRunner.Outcome query = CliRunner.run("query", "--output", tmp.resolve(output).toString(), "--format", "csv",
                sql);
        assertEquals(0, query.exitCode(), query.err());
        return CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(query.out())).getRecords();
    }

    private static List<String> ids(List<CSVRecord> trials) {
        return trials.stream().map(t -> t.get("trial_id")).toList();
    }
}
