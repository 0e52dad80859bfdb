package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"os"

	"aeplayground/engine/mnist"
)

// The idx format (http://yann.lecun.com/exdb/mnist/) is big-endian: a magic
// number whose third byte is the element type (0x08, unsigned byte) and whose
// fourth is the number of dimensions, then one uint32 per dimension, then the
// elements. MNIST uses two kinds of file:
const (
	idxImages = 0x00000803 // 2051: uint8, 3 dims (count, rows, cols)
	idxLabels = 0x00000801 // 2049: uint8, 1 dim (count)
)

// readImages reads the header of an idx3 image file from r and then the first
// n images, each mnist.Pixels bytes. It checks the magic number, that the
// images are 28x28 and that the file holds at least n of them.
func readImages(r io.Reader, n int) ([]uint8, error) {
	var h [4]uint32
	if err := binary.Read(r, binary.BigEndian, &h); err != nil {
		return nil, fmt.Errorf("idx3 header: %w", err)
	}
	if h[0] != idxImages {
		return nil, fmt.Errorf("idx3: magic %d, want %d (images)", h[0], idxImages)
	}
	if h[2] != mnist.Rows || h[3] != mnist.Cols {
		return nil, fmt.Errorf("idx3: images are %dx%d, want %dx%d", h[2], h[3], mnist.Rows, mnist.Cols)
	}
	if uint64(n) > uint64(h[1]) {
		return nil, fmt.Errorf("idx3: %d images wanted, file holds %d", n, h[1])
	}
	pix := make([]uint8, n*mnist.Pixels)
	if _, err := io.ReadFull(r, pix); err != nil {
		return nil, fmt.Errorf("idx3: reading %d images: %w", n, err)
	}
	return pix, nil
}

// readLabels reads the header of an idx1 label file from r and then the first
// n labels, checking the magic number, the count and that each is in 0..9.
func readLabels(r io.Reader, n int) ([]uint8, error) {
	var h [2]uint32
	if err := binary.Read(r, binary.BigEndian, &h); err != nil {
		return nil, fmt.Errorf("idx1 header: %w", err)
	}
	if h[0] != idxLabels {
		return nil, fmt.Errorf("idx1: magic %d, want %d (labels)", h[0], idxLabels)
	}
	if uint64(n) > uint64(h[1]) {
		return nil, fmt.Errorf("idx1: %d labels wanted, file holds %d", n, h[1])
	}
	lab := make([]uint8, n)
	if _, err := io.ReadFull(r, lab); err != nil {
		return nil, fmt.Errorf("idx1: reading %d labels: %w", n, err)
	}
	for i, l := range lab {
		if l > 9 {
			return nil, fmt.Errorf("idx1: label %d is %d, not a digit", i, l)
		}
	}
	return lab, nil
}

// readGz opens the gzip-compressed idx file at path and hands its
// decompressed stream to read.
func readGz(path string, n int, read func(io.Reader, int) ([]uint8, error)) ([]uint8, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	out, err := read(zr, n)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

// readSet reads the first n digits of one MNIST split from its pair of files.
func readSet(imagesPath, labelsPath string, n int) (mnist.Set, error) {
	img, err := readGz(imagesPath, n, readImages)
	if err != nil {
		return mnist.Set{}, err
	}
	lab, err := readGz(labelsPath, n, readLabels)
	if err != nil {
		return mnist.Set{}, err
	}
	return mnist.Set{Images: img, Labels: lab}, nil
}
