// The document model the notice templates produce: the subset of pdfmake's document definition
// they use, declared here so shared/ depends on no rendering library. electron/core's PDF engine
// hands it to pdfmake unchanged; pdfmake's own types accept it there.
type Margin = number | [number, number] | [number, number, number, number];

export interface Style {
  fontSize?: number;
  font?: string;
  bold?: boolean;
  italics?: boolean;
  color?: string;
  alignment?: 'left' | 'center' | 'right' | 'justify';
  margin?: Margin;
  lineHeight?: number;
  leadingIndent?: number;
  characterSpacing?: number;
  noWrap?: boolean;
  unbreakable?: boolean;
  pageBreak?: 'before' | 'after';
  preserveLeadingSpaces?: boolean;
  decoration?: 'underline' | 'lineThrough' | 'overline';
  width?: number | '*' | 'auto' | string;
  style?: string | string[];
}

export type CanvasElement =
  | { type: 'rect'; x: number; y: number; w: number; h: number; color?: string; lineWidth?: number; lineColor?: string }
  | { type: 'line'; x1: number; y1: number; x2: number; y2: number; lineWidth?: number; lineColor?: string; dash?: { length: number } }
  | {
      type: 'ellipse';
      x: number;
      y: number;
      r1: number;
      r2: number;
      lineWidth?: number;
      lineColor?: string;
      color?: string;
      dash?: { length: number };
    };

export interface TableLayout {
  hLineWidth?: (i: number, node: unknown) => number;
  vLineWidth?: (i: number, node: unknown) => number;
  hLineColor?: (i: number, node: unknown) => string;
  vLineColor?: (i: number, node: unknown) => string;
  paddingTop?: (i: number, node: unknown) => number;
  paddingBottom?: (i: number, node: unknown) => number;
  paddingLeft?: (i: number, node: unknown) => number;
  paddingRight?: (i: number, node: unknown) => number;
}

export type Content =
  | string
  | Content[]
  | (Style & { text: string | Content[] })
  | (Style & { stack: Content[] })
  | (Style & { columns: Content[]; columnGap?: number })
  | (Style & {
      table: { widths?: (number | '*' | 'auto' | string)[]; headerRows?: number; dontBreakRows?: boolean; body: Content[][] };
      layout?: TableLayout | 'noBorders' | 'lightHorizontalLines' | 'headerLineOnly';
    })
  | (Style & { canvas: CanvasElement[] })
  | (Style & { qr: string; fit?: number; eccLevel?: 'L' | 'M' | 'Q' | 'H' })
  | (Style & { image: string; width?: number; height?: number })
  | (Style & { ul: Content[] })
  | (Style & { ol: Content[] });

export interface DocDefinition {
  pageSize?: 'A4' | 'A5';
  pageOrientation?: 'portrait' | 'landscape';
  pageMargins?: Margin;
  info?: { title?: string; author?: string; subject?: string; creator?: string; producer?: string };
  defaultStyle?: Style;
  styles?: Record<string, Style>;
  header?: (page: number, pages: number) => Content;
  footer?: (page: number, pages: number) => Content;
  content: Content | Content[];
}
