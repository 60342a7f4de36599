package io.sparksweep.spark;

import io.sparksweep.data.DataShipment;
import io.sparksweep.device.DeviceBinding;
import io.sparksweep.device.DevicePlan;
import io.sparksweep.device.GpuFallback;
import io.sparksweep.device.LocalGpuPool;
import io.sparksweep.device.Nd4jBackends;
import io.sparksweep.device.UnusableGpuException;
import io.sparksweep.search.History;
import io.sparksweep.grid.TrialGroup;
import io.sparksweep.spec.EarlyStopping;
import io.sparksweep.spec.MetricSpec;
import io.sparksweep.spec.SweepSpec;
import io.sparksweep.train.NativeRuntime;
import io.sparksweep.train.Placement;
import io.sparksweep.train.TrainingData;
import io.sparksweep.train.EpochMetrics;
import io.sparksweep.train.TrialTrainer;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Spark task body: set up this executor JVM (device, threads), fetch the shared data, train one piece of
 * work: a trial group, or a halving trial's next stretch.
 */
final class RunTrial implements Function<TrialWork, TaskOutcome> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<DataShipment> dataset;
    private final Duration timeout;
    private final EarlyStopping earlyStopping;
    private final MetricSpec metric;
    private final TaskSettings settings;

    RunTrial(Broadcast<DataShipment> dataset, SweepSpec spec, TaskSettings settings) {
        this(dataset, spec.timeout(), spec.earlyStopping(), spec.metric(), settings);
    }

    private RunTrial(Broadcast<DataShipment> dataset, Duration timeout, EarlyStopping earlyStopping,
            MetricSpec metric, TaskSettings settings) {
        this.dataset = dataset;
        this.timeout = timeout;
        this.earlyStopping = earlyStopping;
        this.metric = metric;
        this.settings = settings;
    }

    /**
     * The task for a refit: no early stopping, since without validation images the metric it would watch after
     * every epoch is the test set's.
     */
    RunTrial refitting() {
        return new RunTrial(dataset, timeout, null, metric, settings);
    }

    @Override
    public TaskOutcome call(TrialWork work) throws InterruptedException {
        TrialGroup group = work.group();
        TaskContext task = TaskContext.get();
        int threads = task != null ? Math.max(1, task.cpus()) : 1;
        GpuFallback fallback = settings.gpuFallback();
        String gpu = gpuAddress(task);
        boolean pooled = gpu == null && !settings.localGpus().isEmpty();
        if (pooled) {
            LocalGpuPool.configure(String.join(",", settings.localGpus()));
            gpu = LocalGpuPool.acquire();
        }
        try {
            DevicePlan plan;
            try {
                // The device is decided before this JVM's first ND4J call: that call picks the backend for good.
                plan = DeviceBinding.plan(gpu, fallback);
                NativeRuntime.configure(threads);
                plan = DeviceBinding.bind(plan, fallback);
            } catch (UnusableGpuException e) {
                // Returned, not thrown: the driver stops the sweep with this message, and no task failure (with
                // Spark's retries and stack traces) stands between it and the user.
                return new TaskOutcome.UnusableGpu(e.userMessage());
            }
            TrainingData data = ExecutorState.trainingData(dataset.value(), group.longest().dataset(), work.fold());
            Placement placement = new Placement(Nd4jBackends.active(), plan.device(), gpu, threads,
                    SparkEnv.get().executorId(), hostName(), ExecutorState.decodeCount());
            TrialTrainer trainer = new TrialTrainer(timeout).withEarlyStopping(earlyStopping, metric)
                    .allowDirectStep(settings.directStep()).keepModelsAbove(work.keepModelsAbove());
            if (work.rule() != null) {
                trainer.withStopRule(epochs -> work.rule().stopAfter(scores(work.priorValues(), epochs)));
            }
            return new TaskOutcome.Trained(trainer.trainStretch(group, data, placement, work.from(), work.toEpoch(),
                    work.keepCheckpoint()));
        } finally {
            if (pooled) {
                LocalGpuPool.release(gpu);
            }
        }
    }

    /** Scores (higher is better) of every epoch so far: the earlier stretches', then this one's. */
    private List<Double> scores(List<Double> prior, List<EpochMetrics> epochs) {
        History scoring = new History(metric.goal());
        List<Double> scores = new ArrayList<>();
        prior.forEach(value -> scores.add(scoring.score(value)));
        epochs.forEach(epoch -> scores.add(scoring.score(epoch.value(metric.name()))));
        return scores;
    }

    /** The GPU Spark assigned to this task ({@code spark.task.resource.gpu.amount}), or null. */
    private static String gpuAddress(TaskContext task) {
        if (task == null) {
            return null;
        }
        ResourceInformation gpu = task.resourcesJMap().get("gpu");
        return gpu == null || gpu.addresses().length == 0 ? null : String.join(",", gpu.addresses());
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
