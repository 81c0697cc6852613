package dev.orders.producer;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.columnar.InMemoryTableScanExec;
import scala.collection.JavaConverters;

/** The plans a Dataset runs with, for tests that look at how Spark executes a batch. */
final class ExecutedPlans {
    /**
     * The nodes of the plan a Dataset runs with (Adaptive Query Execution's final plan, its query stages
     * opened), top down; a cached table is one node, its own plan not included.
     */
    static List<SparkPlan> of(Dataset<Row> dataset) {
        SparkPlan plan = dataset.queryExecution().executedPlan();
        List<SparkPlan> plans = new ArrayList<>();
        collect(plan instanceof AdaptiveSparkPlanExec adaptive ? adaptive.finalPhysicalPlan() : plan, plans);
        return plans;
    }

    private static void collect(SparkPlan plan, List<SparkPlan> plans) {
        if (plan instanceof QueryStageExec stage) {
            collect(stage.plan(), plans);
            return;
        }
        plans.add(plan);
        if (!(plan instanceof InMemoryTableScanExec)) {
            JavaConverters.seqAsJavaList(plan.children()).forEach(child -> collect(child, plans));
        }
    }

    private ExecutedPlans() {
    }
}
