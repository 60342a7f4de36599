package io.sparksweep.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.BadInputException;
import io.sparksweep.data.ImageInput;
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
 * {@code predict}: a kept model's most likely classes for images: PNG or JPEG files (turned into the model's gray
 * images as {@link ImageInput} documents) or IDX image files, all read and checked before any is predicted.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Print a model's most likely classes, with probabilities, for PNG, JPEG or IDX images.")
final class PredictCommand implements Callable<Integer> {
    /** One input's classes, most likely first. */
    private record Prediction(String input, List<Integer> classes, List<Float> probabilities) {
    }

    @Mixin
    ModelOptions options;

    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "PNG or JPEG files, or IDX image files")
    List<Path> images;

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
        List<ImageInput.Picture> pictures = ImageInput.read(images, card.height(), card.width());
        float[] features = ImageInput.features(pictures, card.dataset().normalize());
        float[] probabilities = model.probabilities(Nd4j.create(features,
                new long[] {pictures.size(), card.inputs()}, 'c'));
        List<Prediction> predictions = new ArrayList<>();
        for (int i = 0; i < pictures.size(); i++) {
            predictions.add(prediction(pictures.get(i).name(), probabilities, i, card.numClasses()));
        }
        System.out.print(switch (format) {
            case "csv" -> csv(predictions, card);
            case "json" -> json(predictions, card);
            default -> table(predictions, card);
        });
        return Main.OK;
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
