package io.sparksweep.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The task slot a local master gets for result commits, and what the sweep and its records see of it. */
class SparkSessionsTest {
    @Test
    void aLocalMasterGetsOneSlotForCommitsThatTrialsDoNotTake() {
        try (SparkSessions.Handle handle = SparkSessions.open("slots", "local[2]", false)) {
            SparkSession spark = handle.session();
            assertEquals("local[3]", spark.sparkContext().master());
            assertEquals("local[2]", SparkSessions.master(spark.sparkContext()));
            assertEquals("local[2]", SparkSessions.runningMaster().orElseThrow());
            assertEquals("FAIR", spark.sparkContext().getConf().get("spark.scheduler.mode"));
            assertEquals(2, LoopRunner.defaultSlots(spark));
            // two trials train and none is queued: a queued trial job would take the commits' slot
            assertEquals(2, LoopRunner.inFlight(spark, 2));
            // --slots 3 takes every slot: one more queued, the commits wait for the next free slot
            assertEquals(4, LoopRunner.inFlight(spark, 3));
        }
    }

    @Test
    void retriesOfALocalMasterAreKept() {
        try (SparkSessions.Handle handle = SparkSessions.open("slots", "local[1,3]", false)) {
            assertEquals("local[2,3]", handle.session().sparkContext().master());
            assertEquals(1, LoopRunner.defaultSlots(handle.session()));
        }
    }
}
