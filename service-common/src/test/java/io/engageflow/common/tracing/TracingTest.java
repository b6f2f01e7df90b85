package io.engageflow.common.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.engageflow.common.delivery.InboundRecord;
import io.engageflow.common.delivery.OutboundRecord;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.MDC;
import org.junit.jupiter.api.Test;

/** Spans with a record's context as explicit parent, the context into an outbound record, and nothing when off. */
class TracingTest {
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private static final String PARENT = "b7ad6b7169203331";

    private static InboundRecord carrying(String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        return new InboundRecord("t", 0, 1, "k", "{}", headers);
    }

    @Test
    void onASpanIsTheChildOfItsRecordsContextAndAnOutboundRecordCarriesIt() {
        InMemorySpanExporter exported = InMemorySpanExporter.create();
        Tracing tracing = new Tracing(OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                .addSpanProcessor(SimpleSpanProcessor.create(exported)).build()).build());

        Span span = Tracing.instance(tracing.start("work", SpanKind.CONSUMER,
                carrying("00-" + TRACE + "-" + PARENT + "-01")), "i-1", "ws-1");
        OutboundRecord out = tracing.inject(new OutboundRecord("t2", "k", "{}"), span);
        span.end();

        SpanData data = exported.getFinishedSpanItems().get(0);
        assertThat(data.getTraceId()).isEqualTo(TRACE);
        assertThat(data.getParentSpanId()).isEqualTo(PARENT);
        assertThat(data.getAttributes().get(Tracing.INSTANCE_ID)).isEqualTo("i-1");
        assertThat(data.getAttributes().get(Tracing.WORKSPACE_ID)).isEqualTo("ws-1");
        assertThat(out.traceParent()).isEqualTo("00-" + TRACE + "-" + data.getSpanId() + "-01");
        // a record without a context starts a trace of its own
        Span root = tracing.start("root", SpanKind.CONSUMER, carrying(null));
        assertThat(root.getSpanContext().getTraceId()).isNotEqualTo(TRACE);
        assertThat(Span.fromContext(tracing.parentOf(carrying(null))).getSpanContext().isValid()).isFalse();
    }

    @Test
    void offNoSpanIsMadeAndRecordsLeaveUnchanged() {
        Tracing off = new Tracing(null);
        InboundRecord traced = carrying("00-" + TRACE + "-" + PARENT + "-01");

        Span span = off.start("work", SpanKind.CONSUMER, traced);
        assertThat(span).isSameAs(Span.getInvalid());
        assertThat(off.child("call", SpanKind.CLIENT, span)).isSameAs(Span.getInvalid());
        OutboundRecord record = new OutboundRecord("t2", "k", "{}");
        assertThat(off.inject(record, span)).isSameAs(record);
        assertThat(Tracing.traceId(span)).isNull();
    }

    @Test
    void theMdcFieldsAreSetAroundTheStatementOnlyAndWhatWasThereBeforeComesBack() {
        MDC.put(InstanceLog.INSTANCE_ID, "outer");
        String[] seen = new String[3];
        InstanceLog.about("trace-1", "i-1", "ws-1", () -> {
            seen[0] = (String) MDC.get(InstanceLog.TRACE_ID);
            seen[1] = (String) MDC.get(InstanceLog.INSTANCE_ID);
            seen[2] = (String) MDC.get(InstanceLog.WORKSPACE_ID);
        });
        assertThat(seen).containsExactly("trace-1", "i-1", "ws-1");
        assertThat(MDC.get(InstanceLog.INSTANCE_ID)).isEqualTo("outer");
        assertThat(MDC.get(InstanceLog.TRACE_ID)).isNull();
        assertThat(MDC.get(InstanceLog.WORKSPACE_ID)).isNull();
        MDC.remove(InstanceLog.INSTANCE_ID);
    }
}
