package io.sparksweep.model;

import org.deeplearning4j.nn.weights.IWeightInit;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * PyTorch's default weight initialisation for Linear and Conv2d layers: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), so
 * trials can be compared like for like with the reference notebooks. (Biases stay at DL4J's 0.)
 */
public final class TorchDefaultInit implements IWeightInit {
    private static final long serialVersionUID = 1L;

    @Override
    public INDArray init(double fanIn, double fanOut, long[] shape, char order, INDArray paramView) {
        double bound = 1.0 / Math.sqrt(fanIn);
        Nd4j.rand(paramView, Nd4j.getDistributions().createUniform(-bound, bound));
        return paramView.reshape(order, shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TorchDefaultInit;
    }

    @Override
    public int hashCode() {
        return TorchDefaultInit.class.hashCode();
    }
}
