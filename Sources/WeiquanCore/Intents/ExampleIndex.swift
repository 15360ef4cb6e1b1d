import Foundation

/// An inverted index of example utterances by character bigram, for the matcher's similarity signal.
///
/// Each example is a document of distinct letter bigrams weighted by IDF (`ln((N+1)/(df+1)) + 1`);
/// a message's similarity to an example is the cosine of the two binary-TF·IDF vectors. Bigrams
/// the examples never use still count in the message's norm (with the highest IDF), so a long
/// message that merely shares a word scores low.
struct ExampleIndex: Sendable {
    private let bigramIDs: [UInt64: Int32]
    private let idf: [Double]
    private let postingStart: [Int32]
    private let postingExample: [Int32]
    private let exampleIntent: [Int32]
    private let exampleNorm: [Double]
    private let unseenIDF: Double

    /// Indexes `documents` (already normalised), each belonging to an intent number.
    init(documents: [(intent: Int, text: String)]) {
        var exampleIntent: [Int32] = []
        var exampleBigrams: [[UInt64]] = []
        for document in documents {
            let bigrams = ScalarClass.bigrams(of: Array(document.text.unicodeScalars))
            guard !bigrams.isEmpty else { continue }
            exampleIntent.append(Int32(document.intent))
            exampleBigrams.append(bigrams)
        }
        var bigramIDs: [UInt64: Int32] = [:]
        var documentFrequency: [Int] = []
        for bigrams in exampleBigrams {
            for bigram in bigrams {
                if let id = bigramIDs[bigram] {
                    documentFrequency[Int(id)] += 1
                } else {
                    bigramIDs[bigram] = Int32(documentFrequency.count)
                    documentFrequency.append(1)
                }
            }
        }
        let count = Double(exampleBigrams.count)
        let idf = documentFrequency.map { log((count + 1) / (Double($0) + 1)) + 1 }
        var postings: [[Int32]] = Array(repeating: [], count: documentFrequency.count)
        var exampleNorm: [Double] = []
        for (example, bigrams) in exampleBigrams.enumerated() {
            var squares = 0.0
            for bigram in bigrams {
                guard let id = bigramIDs[bigram] else { continue }
                postings[Int(id)].append(Int32(example))
                squares += idf[Int(id)] * idf[Int(id)]
            }
            exampleNorm.append(squares.squareRoot())
        }
        var postingStart: [Int32] = [0]
        var postingExample: [Int32] = []
        for list in postings {
            postingExample.append(contentsOf: list)
            postingStart.append(Int32(postingExample.count))
        }
        self.bigramIDs = bigramIDs
        self.idf = idf
        self.postingStart = postingStart
        self.postingExample = postingExample
        self.exampleIntent = exampleIntent
        self.exampleNorm = exampleNorm
        self.unseenIDF = log(count + 1) + 1
    }

    /// An intent's similarity to a message: the cosine to its nearest example. (A struct, not a tuple: an array of
    /// tuples looks up its type's metadata at run time, on every message.)
    struct Similarity {
        let intent: Int
        var cosine: Double
    }

    /// For each intent sharing any bigram with the message, the cosine to its nearest example.
    func nearest(_ scalars: [Unicode.Scalar], intentCount: Int) -> [Similarity] {
        guard !self.exampleNorm.isEmpty else { return [] }
        let bigrams = ScalarClass.bigrams(of: scalars)
        guard !bigrams.isEmpty else { return [] }
        var textSquares = 0.0
        var dot = [Double](repeating: 0, count: self.exampleNorm.count)
        var touched: [Int32] = []
        for bigram in bigrams {
            guard let id = self.bigramIDs[bigram] else {
                textSquares += self.unseenIDF * self.unseenIDF
                continue
            }
            let weight = self.idf[Int(id)]
            let square = weight * weight
            textSquares += square
            for posting in Int(self.postingStart[Int(id)])..<Int(self.postingStart[Int(id) + 1]) {
                let example = self.postingExample[posting]
                if dot[Int(example)] == 0 { touched.append(example) }
                dot[Int(example)] += square
            }
        }
        guard !touched.isEmpty else { return [] }
        let textNorm = textSquares.squareRoot()
        var best = [Double](repeating: -1, count: intentCount)
        var result: [Similarity] = []
        for example in touched {
            let cosine = dot[Int(example)] / (textNorm * self.exampleNorm[Int(example)])
            let intent = Int(self.exampleIntent[Int(example)])
            if best[intent] < 0 { result.append(Similarity(intent: intent, cosine: 0)) }
            best[intent] = max(best[intent], cosine)
        }
        for index in result.indices {
            result[index].cosine = best[result[index].intent]
        }
        return result
    }
}
