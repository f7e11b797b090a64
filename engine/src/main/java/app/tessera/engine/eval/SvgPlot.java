package app.tessera.engine.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A minimal line chart written as SVG text: axes with ticks, one polyline per series, a legend. The
 * y axis is always [0, 1]; the x axis is [0, 1] or logarithmic over the data's range.
 */
final class SvgPlot {
  private static final String[] COLOURS = {
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#17becf", "#7f7f7f"
  };
  private static final int WIDTH = 560;
  private static final int HEIGHT = 400;
  private static final int LEFT = 60;
  private static final int RIGHT = 150;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private record Series(String name, double[] x, double[] y, boolean dashed) {}

  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final boolean logX;
  private final List<Series> series = new ArrayList<>();

  SvgPlot(String title, String xLabel, String yLabel, boolean logX) {
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
    this.logX = logX;
  }

  SvgPlot add(String name, double[] x, double[] y, boolean dashed) {
    series.add(new Series(name, x, y, dashed));
    return this;
  }

  String render() {
    double minX = logX ? Double.MAX_VALUE : 0;
    double maxX = logX ? 0 : 1;
    if (logX) {
      for (Series s : series) {
        for (double v : s.x) {
          minX = Math.min(minX, v);
          maxX = Math.max(maxX, v);
        }
      }
      minX = Math.log10(minX);
      maxX = Math.log10(Math.max(maxX, Math.pow(10, minX) * 10));
    }
    int plotW = WIDTH - LEFT - RIGHT;
    int plotH = HEIGHT - TOP - BOTTOM;
    StringBuilder svg = new StringBuilder();
    svg.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n",
            WIDTH,
            HEIGHT,
            WIDTH,
            HEIGHT));
    svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
    text(svg, WIDTH / 2.0 - RIGHT / 2.0, 22, title, "middle", 14);
    svg.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
            LEFT,
            TOP,
            plotW,
            plotH));
    for (int i = 0; i <= 5; i++) {
      double v = i / 5.0;
      double y = TOP + plotH * (1 - v);
      line(svg, LEFT, y, LEFT + plotW, y, "#ddd");
      text(svg, LEFT - 6, y + 4, String.format(Locale.ROOT, "%.1f", v), "end", 11);
    }
    if (logX) {
      for (int e = (int) Math.ceil(minX); e <= Math.floor(maxX); e++) {
        double x = LEFT + plotW * (e - minX) / (maxX - minX);
        line(svg, x, TOP, x, TOP + plotH, "#ddd");
        text(svg, x, TOP + plotH + 16, Long.toString((long) Math.pow(10, e)), "middle", 11);
      }
    } else {
      for (int i = 0; i <= 5; i++) {
        double x = LEFT + plotW * i / 5.0;
        line(svg, x, TOP, x, TOP + plotH, "#ddd");
        text(svg, x, TOP + plotH + 16, String.format(Locale.ROOT, "%.1f", i / 5.0), "middle", 11);
      }
    }
    text(svg, LEFT + plotW / 2.0, HEIGHT - 12, xLabel, "middle", 12);
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">%s</text>\n",
            TOP + plotH / 2.0,
            TOP + plotH / 2.0,
            escape(yLabel)));
    for (int s = 0; s < series.size(); s++) {
      Series one = series.get(s);
      String colour = COLOURS[s % COLOURS.length];
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < one.x.length; i++) {
        if (Double.isNaN(one.x[i]) || Double.isNaN(one.y[i])) {
          continue;
        }
        double xv = logX ? Math.log10(one.x[i]) : one.x[i];
        double x = LEFT + plotW * (xv - minX) / (maxX - minX);
        double y = TOP + plotH * (1 - Math.max(0, Math.min(1, one.y[i])));
        points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
      }
      svg.append(
          String.format(
              Locale.ROOT,
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"%s\"/>\n",
              colour,
              one.dashed ? " stroke-dasharray=\"6 4\"" : "",
              points.toString().strip()));
      double ly = TOP + 10 + 18 * s;
      svg.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\"%s/>\n",
              WIDTH - RIGHT + 12,
              ly,
              WIDTH - RIGHT + 36,
              ly,
              colour,
              one.dashed ? " stroke-dasharray=\"6 4\"" : ""));
      text(svg, WIDTH - RIGHT + 42, ly + 4, one.name, "start", 11);
    }
    svg.append("</svg>\n");
    return svg.toString();
  }

  private static void line(
      StringBuilder svg, double x1, double y1, double x2, double y2, String c) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n",
            x1,
            y1,
            x2,
            y2,
            c));
  }

  private static void text(
      StringBuilder svg, double x, double y, String text, String anchor, int size) {
    svg.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%d\">%s</text>\n",
            x,
            y,
            anchor,
            size,
            escape(text)));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
