package io.engageflow.e2e;

import static io.restassured.RestAssured.given;

import java.util.Arrays;

/** A service's metrics as its /q/metrics (Prometheus text) shows them. */
final class Metrics {
    private Metrics() {
    }

    /**
     * The sum of a metric over every series whose line holds all of {@code tags} (e.g. {@code reason="condition"});
     * 0 while there is none yet (a counter is registered on first use).
     */
    static double sum(String serviceUrl, String metric, String... tags) {
        String metrics = given().get(serviceUrl + "/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines()
                .filter(l -> l.startsWith(metric + "{") || l.startsWith(metric + " "))
                .filter(l -> Arrays.stream(tags).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
