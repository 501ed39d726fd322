/* Reference outputs from libdarknet for the importer's parity tests.
 *
 *   darknet-reference CFG WEIGHTS_OUT OUTPUTS_OUT SEED [--weights-only]
 *
 * Parses CFG at batch 1, gives every convolutional and connected layer random biases and batch-norm statistics
 * (libdarknet initialises the variance to 0, which would blow every activation up by 1e6), writes them with
 * save_weights, runs network_predict on a seeded random input and writes OUTPUTS_OUT:
 *   int32 count; then per tensor: int32 layer index (-1 = the input, -2 = the network output), int32 c, h, w,
 *   then c*h*w float32 values.
 * The tensors are the input, every YOLO and REGION layer's output and the network's output. */
#include <stdio.h>
#include <stdlib.h>
#include "darknet.h"

static float uniform(float lo, float hi) { return lo + (hi - lo) * ((float)rand() / (float)RAND_MAX); }

static void fill(float *x, int n, float lo, float hi)
{
    for (int i = 0; i < n; ++i) x[i] = uniform(lo, hi);
}

static void write_tensor(FILE *f, int index, int c, int h, int w, const float *x)
{
    int header[4] = {index, c, h, w};
    fwrite(header, sizeof(int), 4, f);
    fwrite(x, sizeof(float), (size_t)c * h * w, f);
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: %s CFG WEIGHTS_OUT OUTPUTS_OUT SEED [--weights-only]\n", argv[0]);
        return 2;
    }
    srand((unsigned)atoi(argv[4]));
    network *net = parse_network_cfg(argv[1]);
    set_batch_network(net, 1);
    for (int i = 0; i < net->n; ++i) {
        layer *l = &net->layers[i];
        int n = l->type == CONVOLUTIONAL ? l->n : l->type == CONNECTED ? l->outputs : 0;
        if (n == 0) continue;
        fill(l->biases, n, -0.2f, 0.2f);
        if (l->batch_normalize) {
            fill(l->scales, n, 0.8f, 1.6f);
            fill(l->rolling_mean, n, -0.1f, 0.1f);
            fill(l->rolling_variance, n, 0.5f, 1.5f);
        }
    }
    save_weights(net, argv[2]);
    if (argc == 6) {
        /* --weights-only: the number of values network_predict would return, as text. */
        FILE *f = fopen(argv[3], "w");
        if (!f) { perror(argv[3]); return 1; }
        fprintf(f, "%d\n", net->outputs);
        fclose(f);
        return 0;
    }
    float *input = calloc((size_t)net->inputs, sizeof(float));
    fill(input, net->inputs, 0.0f, 1.0f);
    float *out = network_predict(net, input);

    int count = 2;
    for (int i = 0; i < net->n; ++i) {
        if (net->layers[i].type == YOLO || net->layers[i].type == REGION) ++count;
    }
    FILE *f = fopen(argv[3], "wb");
    if (!f) { perror(argv[3]); return 1; }
    fwrite(&count, sizeof(int), 1, f);
    write_tensor(f, -1, net->c, net->h, net->w, input);
    for (int i = 0; i < net->n; ++i) {
        layer l = net->layers[i];
        if (l.type == YOLO || l.type == REGION) write_tensor(f, i, l.out_c, l.out_h, l.out_w, l.output);
    }
    write_tensor(f, -2, net->outputs, 1, 1, out);
    fclose(f);
    free(input);
    free_network(net);
    return 0;
}
