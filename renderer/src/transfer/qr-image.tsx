/**
 * A QR code the core drew: an SVG document, shown as an image, so that nothing in it can run or
 * reach the page (no markup of it is ever put into the page itself).
 */
export function QrImage({ svg, label }: { svg: string; label: string }) {
  return (
    <img
      className="qr"
      src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      alt={label}
      width={220}
      height={220}
    />
  );
}
