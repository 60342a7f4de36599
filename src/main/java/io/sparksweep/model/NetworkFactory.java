package io.sparksweep.model;

import io.sparksweep.data.InputShape;
import io.sparksweep.grid.TrialConfig;
import io.sparksweep.spec.ModelFamily;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Builds (never trains) the network of a trial. MLP: dense hidden layers on the flattened input. CNN: per conv
 * layer a stride-1 convolution and a 2x2/2 max pool, then dense hidden layers. Both end in a softmax output layer
 * trained with multi-class cross-entropy: DL4J computes that pair's gradient from the logits (output - labels),
 * and since softmax is never a hidden activation, it cannot be applied twice. Two classes use the same pair.
 */
public final class NetworkFactory {
    private NetworkFactory() {
    }

    public static MultiLayerNetwork build(TrialConfig trial, InputShape shape, int numClasses) {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration(trial, shape, numClasses));
        net.init();
        return net;
    }

    public static MultiLayerConfiguration configuration(TrialConfig trial, InputShape shape, int numClasses) {
        Activation activation = activation(trial);
        NeuralNetConfiguration.ListBuilder layers = new NeuralNetConfiguration.Builder()
                .seed(trial.seed())
                .dataType(DataType.FLOAT)
                .updater(updater(trial))
                .weightInit(weightInit(trial))
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .list();
        if (trial.model() == ModelFamily.CNN) {
            for (int i = 0; i < trial.convChannels().size(); i++) {
                int k = trial.kernelSizes().get(i);
                int p = trial.padding().get(i);
                layers.layer(new ConvolutionLayer.Builder(k, k)
                        .stride(1, 1)
                        .padding(p, p)
                        .nOut(trial.convChannels().get(i))
                        .activation(activation)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .build());
                layers.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .convolutionMode(ConvolutionMode.Truncate)
                        .build());
            }
        }
        for (int size : trial.hiddenLayers()) {
            layers.layer(new DenseLayer.Builder().nOut(size).activation(activation).build());
        }
        layers.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .activation(Activation.SOFTMAX)
                .nOut(numClasses)
                .build());
        layers.setInputType(trial.model() == ModelFamily.CNN
                ? InputType.convolutionalFlat(shape.height(), shape.width(), shape.channels())
                : InputType.feedForward(shape.size()));
        return layers.build();
    }

    private static Activation activation(TrialConfig trial) {
        return switch (trial.activation()) {
            case RELU -> Activation.RELU;
            case LEAKYRELU -> Activation.LEAKYRELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case ELU -> Activation.ELU;
        };
    }

    private static IUpdater updater(TrialConfig trial) {
        return switch (trial.optimizer()) {
            case SGD -> new Sgd(trial.learningRate());
            case MOMENTUM -> new Nesterovs(trial.learningRate(), trial.momentum());
            case ADAM -> new Adam(trial.learningRate());
        };
    }

    private static IWeightInit weightInit(TrialConfig trial) {
        return switch (trial.weightInit()) {
            case HE -> WeightInit.RELU.getWeightInitFunction();
            case XAVIER -> WeightInit.XAVIER.getWeightInitFunction();
            case TORCH -> new TorchDefaultInit();
        };
    }
}
