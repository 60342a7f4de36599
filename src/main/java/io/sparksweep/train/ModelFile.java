package io.sparksweep.train;

import io.sparksweep.BadInputException;
import io.sparksweep.grid.TrialConfig;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A kept model's file: DL4J's own model zip ({@link ModelSerializer}: {@code configuration.json},
 * {@code coefficients.bin}; no optimizer state) with the {@link ModelCard} added as one more entry, so DL4J's
 * {@code ModelSerializer.restoreMultiLayerNetwork} reads it as it is and SparkSweep finds the preprocessing in it.
 */
public final class ModelFile {
    /** The entry every DL4J model zip has. */
    static final String DL4J_CONFIGURATION = "configuration.json";

    private ModelFile() {
    }

    /** A network read back with its card, ready to predict with the forward pass its trial was evaluated with. */
    public record Loaded(MultiLayerNetwork net, ModelCard card, Evaluator.Predictor predictor) {
        /** Loss and confusion matrix on a labelled set, in the batches a trial's evaluation used. */
        public Evaluator.Evaluation evaluate(INDArray features, int[] labels) {
            return Evaluator.evaluate(predictor, features, labels, card.numClasses());
        }

        /** Class probabilities of every row of {@code features} ({@code [n, inputs]}), row-major. */
        public float[] probabilities(INDArray features) {
            int n = (int) features.rows();
            float[] all = new float[n * card.numClasses()];
            for (int start = 0; start < n; start += Evaluator.BATCH) {
                int end = Math.min(n, start + Evaluator.BATCH);
                float[] part = predictor.probabilities(features, start, end);
                System.arraycopy(part, 0, all, start * card.numClasses(), part.length);
            }
            return all;
        }
    }

    /** DL4J's zip of a network ({@code dl4jZip}) with {@code card} added: the bytes of a kept model's file. */
    public static byte[] withCard(byte[] dl4jZip, ModelCard card) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(dl4jZip.length + 4096);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(dl4jZip));
             ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry(ModelCard.ENTRY));
            out.write(card.toYaml().getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("packing a model: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }

    /** The card of a model file; anything but a SparkSweep model is a {@link BadInputException} naming it. */
    public static ModelCard card(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("model " + file + ": " + (Files.exists(file) ? "is not a file" : "no such file"));
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry entry = zip.getEntry(ModelCard.ENTRY);
            if (entry == null) {
                throw new BadInputException("model " + file + ": " + (zip.getEntry(DL4J_CONFIGURATION) != null
                        ? "a DL4J model, but not one a sweep kept: it has no " + ModelCard.ENTRY + " with the "
                        + "preprocessing a prediction needs"
                        : "a zip file, but not a model (no " + ModelCard.ENTRY + " or " + DL4J_CONFIGURATION
                        + " in it: a zip from another tool?)"));
            }
            try (InputStream in = zip.getInputStream(entry)) {
                return ModelCard.fromYaml(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new BadInputException("model " + file + ": " + ModelCard.ENTRY + " cannot be read: "
                        + e.getMessage(), e);
            }
        } catch (ZipException e) {
            throw new BadInputException("model " + file + ": not a model zip (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new BadInputException("model " + file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a model file: its card, its network and the forward pass to predict with. A network that does not
     * take the card's images or give its classes is refused, like any file that is not a kept model.
     */
    public static Loaded read(Path file) {
        ModelCard card = card(file);
        MultiLayerNetwork net;
        try {
            net = ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new BadInputException("model " + file + ": DL4J cannot read its network: " + e.getMessage(), e);
        }
        checkShape(file, net, card);
        TrialConfig trial = card.trial().orElseThrow(() -> new BadInputException("model " + file
                + ": its configuration cannot be read by this version: " + card.config()));
        return new Loaded(net, card, predictor(net, trial, TrainLoop.DIRECT.key().equals(card.trainLoop())));
    }

    /**
     * The forward pass the trial was evaluated with, so a kept model evaluates to its row's numbers exactly: the
     * direct steps' for networks they trained, DL4J's otherwise.
     */
    private static Evaluator.Predictor predictor(MultiLayerNetwork net, TrialConfig trial, boolean direct) {
        if (direct && MlpStep.supportsForward(net, trial)) {
            return MlpStep.predictor(net, trial);
        }
        return direct && CnnStep.supportsForward(net, trial) ? CnnStep.predictor(net, trial) : Evaluator.of(net);
    }

    /** One blank image through the network: it must take the card's inputs and give one output per class. */
    private static void checkShape(Path file, MultiLayerNetwork net, ModelCard card) {
        long outputs;
        try {
            outputs = net.output(Nd4j.zeros(Nd4j.dataType(), 1, card.inputs()), false).columns();
        } catch (RuntimeException e) {
            throw new BadInputException("model " + file + ": its network does not take the "
                    + card.shape().describe() + " inputs its card names: " + e.getMessage(), e);
        }
        if (outputs != card.numClasses()) {
            throw new BadInputException("model " + file + ": its network gives " + outputs + " outputs, its card "
                    + "names " + card.numClasses() + " classes");
        }
    }
}
