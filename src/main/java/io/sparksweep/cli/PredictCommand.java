package io.sparksweep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.BadInputException;
import io.sparksweep.data.DataSource;
import io.sparksweep.data.ImageInput;
import io.sparksweep.spark.SparkSessions;
import io.sparksweep.spark.TableSource;
import io.sparksweep.train.ModelCard;
import io.sparksweep.train.ModelFile;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code predict}: a kept model's most likely classes for images (turned into the model's inputs as {@link
 * ImageInput} documents: grey or colour, its size, its normalisation) or a table's feature rows, all read and checked
 * before any is predicted.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Print a model's most likely classes, with probabilities, for images (PNG, JPEG, BMP, GIF or "
                + "IDX files) or the rows of a table (--table).")
final class PredictCommand implements Callable<Integer> {
    /** One input's classes, most likely first. */
    private record Prediction(String input, List<Integer> classes, List<Float> probabilities) {
    }

    @Mixin
    ModelOptions options;

    @Parameters(paramLabel = "IMAGE", arity = "0..*", description = "PNG, JPEG, BMP or GIF files, or IDX image files")
    List<Path> images = List.of();

    @Option(names = "--table", paramLabel = "PATH", description = "feature rows to predict instead of images: a "
            + "CSV (with a header), JSON-lines or Parquet table, any Hadoop path; the model's feature columns")
    String table;

    @Option(names = "--top", defaultValue = "3", description = "classes per image (default: ${DEFAULT-VALUE})")
    int top;

    @Option(names = "--format", paramLabel = "table|csv|json", defaultValue = "table",
            description = "table (default), csv (a row per image and rank) or json (an object per image and line)")
    String format;

    @Override
    public Integer call() throws JsonProcessingException {
        if (!List.of("table", "csv", "json").contains(format)) {
            throw new BadInputException("--format must be table, csv or json, got " + format);
        }
        ModelFile.Loaded model = options.load();
        ModelCard card = model.card();
        if (top < 1 || top > card.numClasses()) {
            throw new BadInputException("--top must be 1 to " + card.numClasses() + " (the model's classes), got "
                    + top);
        }
        if ((table == null) == images.isEmpty()) {
            throw new BadInputException("predict takes images or --table PATH, one of the two");
        }
        Inputs inputs = table != null ? tableRows(card) : pictures(card);
        float[] probabilities = model.probabilities(Nd4j.create(inputs.features(),
                new long[] {inputs.names().size(), card.inputs()}, 'c'));
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < inputs.names().size(); i++) {
            predictions.add(prediction(inputs.names().get(i), probabilities, i, card.numClasses()));
        }
        System.out.print(switch (format) {
            case "csv" -> csv(predictions, card);
            case "json" -> json(predictions, card);
            default -> table(predictions, card);
        });
        return Main.OK;
    }

    /** What is predicted: a name per input, and the inputs as the network's normalised rows. */
    private record Inputs(List<String> names, float[] features) {
    }

    private Inputs pictures(ModelCard card) {
        if (!card.shape().image()) {
            throw new BadInputException("model " + options.model + " reads table rows (" + card.shape().describe()
                    + "), not images: give them with --table PATH");
        }
        List<ImageInput.Picture> pictures = ImageInput.read(images, card.shape());
        return new Inputs(pictures.stream().map(ImageInput.Picture::name).toList(),
                ImageInput.features(pictures, card.scaling()));
    }

    /** The table's rows, through the model's feature columns and normalisation; each named {@code PATH#row}. */
    private Inputs tableRows(ModelCard card) {
        List<String> features = List.of();
        String label = null;
        if (card.dataset().source() instanceof DataSource.Table source) {
            features = source.features();
            label = source.label();
        }
        List<float[]> rows;
        try (SparkSessions.Handle spark = SparkSessions.open("sparksweep predict", null, false)) {
            rows = TableSource.featureRows(spark.session(), table, tableFormat(table), features, label);
        }
        int size = card.inputs();
        float[] out = new float[rows.size() * size];
        List<String> names = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            if (rows.get(r).length != size) {
                throw new BadInputException("--table " + table + ": rows of " + rows.get(r).length + " features, the "
                        + "model takes " + size);
            }
            for (int i = 0; i < size; i++) {
                out[r * size + i] = card.scaling().apply(rows.get(r)[i], i);
            }
            names.add(table + "#" + r);
        }
        return new Inputs(names, out);
    }

    /** CSV and JSON by their extension, else Parquet. */
    private static DataSource.TableFormat tableFormat(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        return lower.endsWith(".csv") ? DataSource.TableFormat.CSV : lower.endsWith(".json") || lower.endsWith(
                ".jsonl") ? DataSource.TableFormat.JSON : DataSource.TableFormat.PARQUET;
    }

    private Prediction prediction(String input, float[] probabilities, int row, int classes) {
        int offset = row * classes;
        List<Integer> order = IntStream.range(0, classes).boxed()
                .sorted(Comparator.comparingDouble((Integer c) -> -probabilities[offset + c]).thenComparing(c -> c))
                .limit(top).toList();
        return new Prediction(input, order, order.stream().map(c -> probabilities[offset + c]).toList());
    }

    private static String table(List<Prediction> predictions, ModelCard card) {
        int width = Math.max(5, predictions.stream().mapToInt(p -> p.input().length()).max().orElse(5));
        StringBuilder out = new StringBuilder();
        for (Prediction p : predictions) {
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", p.input()));
            for (int k = 0; k < p.classes().size(); k++) {
                line.append(String.format(Locale.ROOT, "  %s %.4f", card.classNames().get(p.classes().get(k)),
                        p.probabilities().get(k)));
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private static String csv(List<Prediction> predictions, ModelCard card) {
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180.builder().setRecordSeparator('\n')
                .setHeader("input", "rank", "class_index", "class_name", "probability").build())) {
            for (Prediction p : predictions) {
                for (int k = 0; k < p.classes().size(); k++) {
                    csv.printRecord(p.input(), k + 1, p.classes().get(k), card.classNames().get(p.classes().get(k)),
                            p.probabilities().get(k));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static String json(List<Prediction> predictions, ModelCard card) throws JsonProcessingException {
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder out = new StringBuilder();
        for (Prediction p : predictions) {
            List<Map<String, Object>> ranked = new ArrayList<>();
            for (int k = 0; k < p.classes().size(); k++) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("class_index", p.classes().get(k));
                entry.put("class_name", card.classNames().get(p.classes().get(k)));
                entry.put("probability", p.probabilities().get(k));
                ranked.add(entry);
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("input", p.input());
            line.put("top", ranked);
            out.append(mapper.writeValueAsString(line)).append('\n');
        }
        return out.toString();
    }
}
