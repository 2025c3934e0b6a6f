/**
 * Small, valid output files built in code, so no binary fixtures live in the repository and a
 * client that downloads and sniffs its output sees the real format.
 */
import { deflateSync } from 'node:zlib';

import type { OutputFileType } from './endpoints';

export const CONTENT_TYPES: Readonly<Record<OutputFileType, string>> = {
	png: 'image/png',
	gif: 'image/gif',
	mp4: 'video/mp4',
	wav: 'audio/wav',
	mp3: 'audio/mpeg',
	flac: 'audio/flac',
	glb: 'model/gltf-binary',
	obj: 'model/obj',
	stl: 'model/stl',
	ply: 'text/plain',
	txt: 'text/plain; charset=utf-8',
};

/** What a speech-to-text job "heard": served as its .txt output and echoed as `text`. */
export function transcriptText(seed: number): string {
	return `Simulated transcript ${seed}: the quick brown fox jumps over the lazy dog.`;
}

const CRC_TABLE: readonly number[] = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

/** CRC-32 as PNG chunks need it (ISO 3309 polynomial). */
export function crc32(data: Buffer): number {
	let crc = 0xffffffff;
	for (const byte of data) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

function u32be(value: number): Buffer {
	const buffer = Buffer.alloc(4);
	buffer.writeUInt32BE(value >>> 0);
	return buffer;
}

function pngChunk(type: string, data: Buffer): Buffer {
	const typeAndData = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	return Buffer.concat([u32be(data.length), typeAndData, u32be(crc32(typeAndData))]);
}

/** A 16×16 RGB gradient whose tint depends on `seed`, so different outputs differ. */
export function buildPng(seed: number): Buffer {
	const size = 16;
	const header = Buffer.alloc(13);
	header.writeUInt32BE(size, 0);
	header.writeUInt32BE(size, 4);
	header[8] = 8; // bit depth
	header[9] = 2; // colour type RGB
	// compression, filter and interlace methods stay 0
	const rows: Buffer[] = [];
	for (let y = 0; y < size; y++) {
		const row = Buffer.alloc(1 + size * 3); // leading 0 = filter type None
		for (let x = 0; x < size; x++) {
			row[1 + x * 3] = (x * 16 + seed * 37) & 0xff;
			row[2 + x * 3] = (y * 16 + seed * 91) & 0xff;
			row[3 + x * 3] = (seed * 53) & 0xff;
		}
		rows.push(row);
	}
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', header),
		pngChunk('IDAT', deflateSync(Buffer.concat(rows))),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

/** A 1×1 GIF89a: one-colour palette and the three LZW codes clear, 0, end packed into 0x44 0x01. */
export function buildGif(): Buffer {
	return Buffer.concat([
		Buffer.from('GIF89a', 'ascii'),
		Buffer.from([0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00]), // 1×1, global table of 2 colours
		Buffer.from([0x20, 0x60, 0xa0, 0x00, 0x00, 0x00]),
		Buffer.from([0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]), // image descriptor
		Buffer.from([0x02, 0x02, 0x44, 0x01, 0x00]), // min code size 2, one 2-byte block, terminator
		Buffer.from([0x3b]),
	]);
}

/** 0.2 s of a quiet 440 Hz tone, 8 kHz mono 16-bit PCM in a RIFF/WAVE container. */
export function buildWav(): Buffer {
	const sampleRate = 8000;
	const samples = sampleRate / 5;
	const pcm = Buffer.alloc(samples * 2);
	for (let i = 0; i < samples; i++)
		pcm.writeInt16LE(Math.round(Math.sin((2 * Math.PI * 440 * i) / sampleRate) * 2000), i * 2);
	const format = Buffer.alloc(16);
	format.writeUInt16LE(1, 0); // PCM
	format.writeUInt16LE(1, 2); // mono
	format.writeUInt32LE(sampleRate, 4);
	format.writeUInt32LE(sampleRate * 2, 8); // byte rate
	format.writeUInt16LE(2, 12); // block align
	format.writeUInt16LE(16, 14); // bits per sample
	const chunk = (id: string, data: Buffer): Buffer => {
		const head = Buffer.alloc(8);
		head.write(id, 0, 'ascii');
		head.writeUInt32LE(data.length, 4);
		return Buffer.concat([head, data]);
	};
	const body = Buffer.concat([
		Buffer.from('WAVE', 'ascii'),
		chunk('fmt ', format),
		chunk('data', pcm),
	]);
	return chunk('RIFF', body);
}

/**
 * Ten MPEG-1 Layer III frames of silence: 128 kbit/s, 44.1 kHz, mono, no CRC. A frame is
 * 144 * 128000 / 44100 = 417 bytes; zeroed side information means empty granules, i.e. silence.
 */
export function buildMp3(): Buffer {
	const frameLength = 417;
	const frame = Buffer.alloc(frameLength);
	frame.set([0xff, 0xfb, 0x90, 0xc0]);
	return Buffer.concat(Array.from({ length: 10 }, () => frame));
}

/** A FLAC stream with only its STREAMINFO block (8 kHz mono 16-bit, zero samples): valid, silent. */
export function buildFlac(): Buffer {
	const info = Buffer.alloc(34);
	info.writeUInt16BE(4096, 0); // min block size
	info.writeUInt16BE(4096, 2); // max block size
	// min/max frame size (24 bits each) stay 0 = unknown
	// 20 bits sample rate, 3 bits channels-1, 5 bits bits-per-sample-1, 36 bits total samples
	const packed = (BigInt(8000) << 44n) | (0n << 41n) | (15n << 36n);
	info.writeBigUInt64BE(packed, 10);
	// MD5 of the (empty) audio stays 0 = not computed
	const blockHeader = Buffer.from([0x80, 0x00, 0x00, 34]); // last block, type 0 STREAMINFO
	return Buffer.concat([Buffer.from('fLaC', 'ascii'), blockHeader, info]);
}

function box(type: string, ...content: Buffer[]): Buffer {
	const payload = Buffer.concat(content);
	return Buffer.concat([u32be(8 + payload.length), Buffer.from(type, 'ascii'), payload]);
}

function fullBox(type: string, version: number, flags: number, ...content: Buffer[]): Buffer {
	return box(type, u32be(((version & 0xff) << 24) | (flags & 0xffffff)), ...content);
}

/** The identity matrix used by mvhd and tkhd (16.16 and 2.30 fixed point). */
function unityMatrix(): Buffer {
	return Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32be));
}

/**
 * An ISO-BMFF file with ftyp, a moov holding mvhd and one empty video track (no samples), and an
 * empty mdat: the smallest structure that players and sniffers accept as MP4.
 */
export function buildMp4(): Buffer {
	const timescale = 1000;
	const ftyp = box(
		'ftyp',
		Buffer.from('isom', 'ascii'),
		u32be(0x200),
		Buffer.from('isomiso2avc1mp41', 'ascii'),
	);
	const mvhd = fullBox(
		'mvhd',
		0,
		0,
		u32be(0),
		u32be(0),
		u32be(timescale),
		u32be(0), // creation, modification, timescale, duration
		u32be(0x00010000),
		Buffer.from([0x01, 0x00]),
		Buffer.alloc(10), // rate 1.0, volume 1.0, reserved
		unityMatrix(),
		Buffer.alloc(24),
		u32be(2), // pre-defined, next track id
	);
	const tkhd = fullBox(
		'tkhd',
		0,
		0x000003, // enabled, in movie
		u32be(0),
		u32be(0),
		u32be(1),
		u32be(0),
		u32be(0), // creation, modification, track id, reserved, duration
		Buffer.alloc(8),
		Buffer.alloc(4),
		Buffer.alloc(4), // reserved, layer+alternate group, volume+reserved
		unityMatrix(),
		u32be(16 << 16),
		u32be(16 << 16), // 16×16
	);
	const mdhd = fullBox(
		'mdhd',
		0,
		0,
		u32be(0),
		u32be(0),
		u32be(timescale),
		u32be(0),
		Buffer.from([0x55, 0xc4, 0x00, 0x00]),
	); // language "und"
	const hdlr = fullBox(
		'hdlr',
		0,
		0,
		u32be(0),
		Buffer.from('vide', 'ascii'),
		Buffer.alloc(12),
		Buffer.from('VideoHandler\0', 'ascii'),
	);
	const vmhd = fullBox('vmhd', 0, 1, Buffer.alloc(8));
	const dinf = box('dinf', fullBox('dref', 0, 0, u32be(1), fullBox('url ', 0, 1)));
	const emptyTable = (type: string): Buffer => fullBox(type, 0, 0, u32be(0));
	const stbl = box(
		'stbl',
		emptyTable('stsd'),
		emptyTable('stts'),
		emptyTable('stsc'),
		fullBox('stsz', 0, 0, u32be(0), u32be(0)),
		emptyTable('stco'),
	);
	const trak = box('trak', tkhd, box('mdia', mdhd, hdlr, box('minf', vmhd, dinf, stbl)));
	return Buffer.concat([ftyp, box('moov', mvhd, trak), box('mdat')]);
}

/** glTF 2.0 binary: 12-byte header and one JSON chunk (padded with spaces) describing an empty scene. */
export function buildGlb(): Buffer {
	const json = JSON.stringify({
		asset: { version: '2.0', generator: 'modelslab-simulator' },
		scene: 0,
		scenes: [{ name: 'empty' }],
	});
	const padded = Buffer.from(json.padEnd(Math.ceil(json.length / 4) * 4, ' '), 'utf8');
	const header = Buffer.alloc(12);
	header.writeUInt32LE(0x46546c67, 0); // "glTF"
	header.writeUInt32LE(2, 4);
	header.writeUInt32LE(12 + 8 + padded.length, 8);
	const chunkHeader = Buffer.alloc(8);
	chunkHeader.writeUInt32LE(padded.length, 0);
	chunkHeader.writeUInt32LE(0x4e4f534a, 4); // "JSON"
	return Buffer.concat([header, chunkHeader, padded]);
}

const TRIANGLE = ['0 0 0', '1 0 0', '0 1 0'];

export function buildObj(): Buffer {
	return Buffer.from(
		`# modelslab simulator\n${TRIANGLE.map((v) => `v ${v}`).join('\n')}\nf 1 2 3\n`,
		'ascii',
	);
}

export function buildStl(): Buffer {
	const vertices = TRIANGLE.map((v) => `      vertex ${v}`).join('\n');
	return Buffer.from(
		`solid simulator\n  facet normal 0 0 1\n    outer loop\n${vertices}\n    endloop\n  endfacet\nendsolid simulator\n`,
		'ascii',
	);
}

export function buildPly(): Buffer {
	const header = [
		'ply',
		'format ascii 1.0',
		'element vertex 3',
		'property float x',
		'property float y',
		'property float z',
		'element face 1',
		'property list uchar int vertex_indices',
		'end_header',
	];
	return Buffer.from(`${[...header, ...TRIANGLE, '3 0 1 2'].join('\n')}\n`, 'ascii');
}

/** The bytes of an output file; `seed` varies images and transcripts so separate outputs differ. */
export function buildOutputFile(type: OutputFileType, seed: number): Buffer {
	switch (type) {
		case 'png':
			return buildPng(seed);
		case 'gif':
			return buildGif();
		case 'mp4':
			return buildMp4();
		case 'wav':
			return buildWav();
		case 'mp3':
			return buildMp3();
		case 'flac':
			return buildFlac();
		case 'glb':
			return buildGlb();
		case 'obj':
			return buildObj();
		case 'stl':
			return buildStl();
		case 'ply':
			return buildPly();
		case 'txt':
			return Buffer.from(transcriptText(seed), 'utf8');
	}
}

export function isOutputFileType(value: string): value is OutputFileType {
	return value in CONTENT_TYPES;
}
