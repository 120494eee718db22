package dev.verdict.lang.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Writes a test report as JUnit XML, the format CI systems read. */
public final class JUnitXml {
  private JUnitXml() {}

  public static void write(TestReport report, String suiteName, OutputStream out) throws IOException {
    try {
      XMLStreamWriter w = XMLOutputFactory.newFactory().createXMLStreamWriter(out, "UTF-8");
      w.writeStartDocument("UTF-8", "1.0");
      w.writeCharacters("\n");
      w.writeStartElement("testsuite");
      w.writeAttribute("name", suiteName);
      w.writeAttribute("tests", String.valueOf(report.results().size()));
      w.writeAttribute("failures", String.valueOf(report.failed()));
      w.writeAttribute("errors", "0");
      w.writeAttribute("time", seconds(report.results().stream().mapToLong(TestResult::nanos).sum()));
      w.writeCharacters("\n");
      for (TestResult r : report.results()) {
        w.writeCharacters("  ");
        w.writeStartElement("testcase");
        w.writeAttribute("classname", r.span().file());
        w.writeAttribute("name", r.name());
        w.writeAttribute("file", r.span().file());
        w.writeAttribute("line", String.valueOf(r.span().line()));
        w.writeAttribute("time", seconds(r.nanos()));
        if (!r.passed()) {
          w.writeStartElement("failure");
          w.writeAttribute("message", r.failures().get(0));
          w.writeCharacters(r.span().location() + "\n" + String.join("\n", r.failures()));
          w.writeEndElement();
        }
        w.writeEndElement();
        w.writeCharacters("\n");
      }
      w.writeEndElement();
      w.writeCharacters("\n");
      w.writeEndDocument();
      w.flush();
      w.close();
    } catch (XMLStreamException e) {
      throw new IOException("could not write JUnit XML: " + e.getMessage(), e);
    }
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.6f", nanos / 1e9);
  }
}
