package io.sparksweep.results;

import io.sparksweep.grid.TrialConfig;
import io.sparksweep.train.ClassMetrics;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialResult;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns results into rows of the {@link ResultTable} schemas (same column order). */
final class ResultRows {
    private ResultRows() {
    }

    static Row trial(SweepRun run, TrialResult r) {
        TrialConfig c = r.config();
        return RowFactory.create(run.sweepId(), run.spec().name(), run.runId(), r.trialId(), r.status().name(),
                r.error(), c.model().key(), seq(c.hiddenLayers()), c.activation().key(), seq(c.convChannels()),
                seq(c.kernelSizes()), seq(c.padding()), c.optimizer().key(), c.momentum(), c.learningRate(),
                r.batchSize(), c.epochs(), c.weightInit().key(), c.seed(), c.dataset().canonical(),
                seq(c.dataset().classNames()), r.trainSamples(), r.testSamples(), c.canonical(), r.testAccuracy(), r.testLoss(),
                r.trainAccuracy(), r.trainLoss(), r.macroF1(), r.trainSeconds(), r.samplesPerSecond(),
                r.parameterCount(), r.placement().backend(), r.placement().device(), r.placement().gpuAddress(),
                r.placement().threads(),
                r.placement().executorId(), r.placement().host(), r.placement().datasetDecodes(), ts(r.startedAt()),
                ts(r.finishedAt()), run.spec().method().key(), r.epochs().size(),
                EpochMetrics.best(r.epochs(), run.spec().metric()), rung(run, r),
                r.trainLoop() == null ? null : r.trainLoop().key(), run.dataChecksum());
    }

    /** Halving: how many rungs the trial reached (1 = the first); null for other methods. */
    private static Integer rung(SweepRun run, TrialResult r) {
        if (run.spec().rungs() == null) {
            return null;
        }
        int trained = r.epochs().size();
        return (int) run.spec().rungs().epochs().stream().filter(e -> e <= trained).count();
    }

    static List<Row> epochs(SweepRun run, TrialResult r) {
        List<Row> rows = new ArrayList<>();
        for (EpochMetrics e : r.epochs()) {
            rows.add(RowFactory.create(run.sweepId(), r.trialId(), e.epoch(), e.trainLoss(), e.testLoss(),
                    e.testAccuracy(), e.seconds(), e.evalSeconds()));
        }
        return rows;
    }

    static List<Row> classMetrics(SweepRun run, TrialResult r) {
        List<Row> rows = new ArrayList<>();
        for (ClassMetrics m : r.classMetrics()) {
            rows.add(RowFactory.create(run.sweepId(), r.trialId(), m.classIndex(), m.className(), m.precision(),
                    m.recall(), m.f1(), m.support()));
        }
        return rows;
    }

    static List<Row> confusion(SweepRun run, TrialResult r) {
        List<Row> rows = new ArrayList<>();
        if (r.confusion() != null) {
            long[][] counts = r.confusion().counts();
            for (int actual = 0; actual < counts.length; actual++) {
                for (int predicted = 0; predicted < counts.length; predicted++) {
                    rows.add(RowFactory.create(run.sweepId(), r.trialId(), actual, predicted,
                            counts[actual][predicted]));
                }
            }
        }
        return rows;
    }

    static Row sweep(SweepRun run, int trialsPlanned, Instant finishedAt, String versions) {
        return RowFactory.create(run.sweepId(), run.runId(), run.spec().name(), run.spec().text(), run.master(),
                trialsPlanned, ts(run.startedAt()), finishedAt == null ? null : ts(finishedAt), versions);
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }

    private static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toList();
    }
}
