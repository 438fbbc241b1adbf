import tilemap from '../data/sofia-districts-tilemap.json';

/** A district's tile on the schematic map of Sofia (keeps the real neighbours; not geographic). */
export interface DistrictTile {
  /** Official number, 1–24. */
  no: number;
  /** 0 is the northernmost row. */
  row: number;
  /** 0 is the westernmost column. */
  col: number;
}

export const tileGrid: { rows: number; cols: number } = { rows: tilemap.grid.rows, cols: tilemap.grid.cols };

const tiles = new Map<number, DistrictTile>(
  tilemap.districts.map((district) => [district.no, { no: district.no, row: district.row, col: district.col }]),
);

export function districtTile(no: number): DistrictTile | undefined {
  return tiles.get(no);
}
