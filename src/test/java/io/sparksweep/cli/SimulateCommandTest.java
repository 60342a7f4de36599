package io.sparksweep.cli;

import io.sparksweep.TestData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code simulate} over a small real grid: methods replayed on its recorded epochs, the table exported. */
class SimulateCommandTest {
    @TempDir
    static Path tmp;
    static String out;

    @BeforeAll
    static void recordAGrid() throws Exception {
        out = tmp.resolve("results").toString();
        Path sweep = Files.writeString(tmp.resolve("grid.yaml"), """
                name: recorded
                dataset: {name: fashion-mnist, train_limit: 300, test_limit: 200, validation: none}
                parameters: {model: mlp, hidden_layers: [[4], [8]], learning_rate: [0.01, 0.1],
                             batch_size: [50, 100], optimizer: sgd, epochs: 3}
                """);
        CliRunner.Outcome run = CliRunner.run("run", sweep.toString(), "--master", "local[2]", "--no-ui",
                "--output", out, "--data-dir", TestData.FASHION_DIR.toString(), "--no-download");
        assertEquals(0, run.exitCode(), run.err());
    }

    @Test
    void replaysEachMethodOnTheRecordedEpochsAndExportsTheTable() throws Exception {
        Path csv = tmp.resolve("table.csv");
        Path chart = tmp.resolve("sim.png");
        CliRunner.Outcome sim = CliRunner.run("simulate", "--output", out, "--sweep", "recorded", "--methods",
                "random,tpe,tpe+asha,hyperband", "--trials", "8", "--repeats", "3", "--at", "4,8",
                "--export-table", csv.toString(), "--chart", chart.toString());
        assertEquals(0, sim.exitCode(), sim.err());
        assertTrue(sim.out().contains("8 configurations of hidden_layers x learning_rate x batch_size, 3 epochs"),
                sim.out());
        List<String> rows = sim.out().lines().filter(l -> l.matches("(random|tpe|tpe\\+asha|hyperband) .*"))
                .toList();
        assertEquals(4, rows.size(), sim.out());
        // with all 8 points trained in full, random and tpe both found the grid's best; the pruning methods found at
        // most that, for fewer trial-epochs than the 8 x 3 of full training
        String best = rows.get(0).split("\\s{2,}")[2];
        assertEquals(best, rows.get(1).split("\\s{2,}")[2], rows.get(1));
        for (String row : rows.subList(2, 4)) {
            String[] cells = row.split("\\s{2,}");
            assertTrue(Double.parseDouble(cells[2].split(" ")[0]) <= Double.parseDouble(best.split(" ")[0]), row);
            assertTrue(Double.parseDouble(cells[cells.length - 1]) < 24, row);
        }
        List<String> lines = Files.readAllLines(csv);
        assertEquals("hidden_layers,learning_rate,batch_size,epoch,test_accuracy,seconds", lines.get(0));
        assertEquals(1 + 8 * 3, lines.size());
        assertTrue(Files.size(tmp.resolve("sim-trials.png")) > 1000 && Files.size(tmp.resolve("sim-epochs.png")) > 1000);
    }

    @Test
    void unknownMethodsAndSweepsAreBadInput() {
        CliRunner.Outcome method = CliRunner.run("simulate", "--output", out, "--sweep", "recorded", "--methods",
                "tpe+bohb");
        assertEquals(2, method.exitCode());
        assertTrue(method.err().contains("--methods: unknown scheduler 'bohb' in 'tpe+bohb'"), method.err());
        CliRunner.Outcome sweep = CliRunner.run("simulate", "--output", out, "--sweep", "nope");
        assertEquals(2, sweep.exitCode());
        assertTrue(sweep.err().contains("no completed trials of a sweep named nope"), sweep.err());
    }
}
