//! The document's ID index: which element an `ID`-like attribute value names. Read by
//! `engine_rust` (resolving a Reference's URI) and `wrapping` (duplicate IDs); uses only
//! `xml`.

use crate::xml::{Document, NodeId};

const WSU_NS: &str =
    "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd";

/// Every ID-like attribute value of the document and the elements carrying it.
///
/// A Response carries two or three IDs: a sorted list of `(value, element)` is one
/// allocation where a map with a list per value was several.
#[derive(Debug, Default)]
pub(crate) struct IdIndex<'d> {
    /// Sorted by value, then element (document order); each pair once.
    ids: Vec<(&'d str, NodeId)>,
}

impl<'d> IdIndex<'d> {
    /// Indexes `ID`, `Id`, `id`, `AssertionID`, `ResponseID` and `wsu:Id`.
    pub(crate) fn build(doc: &'d Document) -> IdIndex<'d> {
        let mut ids: Vec<(&'d str, NodeId)> = Vec::new();
        let root = doc.root();
        for n in std::iter::once(root).chain(doc.descendants(root)) {
            let Some(e) = doc.element(n) else { continue };
            for a in e.attributes() {
                let is_id = match a.namespace() {
                    None => matches!(a.local(), "ID" | "Id" | "id" | "AssertionID" | "ResponseID"),
                    Some(WSU_NS) => a.local() == "Id",
                    Some(_) => false,
                };
                if is_id {
                    ids.push((a.value(), n));
                }
            }
        }
        ids.sort_unstable();
        // One element carrying a value twice (`ID` and `Id`) is one carrier.
        ids.dedup();
        IdIndex { ids }
    }

    /// The elements carrying `id`, in document order.
    fn carriers(&self, id: &str) -> &[(&'d str, NodeId)] {
        let start = self.ids.partition_point(|(v, _)| *v < id);
        let len = self.ids[start..].partition_point(|(v, _)| *v == id);
        &self.ids[start..start + len]
    }

    /// The element with this ID, when exactly one element has it.
    pub(crate) fn resolve(&self, id: &str) -> Option<NodeId> {
        match self.carriers(id) {
            [(_, only)] => Some(*only),
            _ => None,
        }
    }

    /// ID values carried by more than one element, with those elements (in
    /// document order).
    pub(crate) fn duplicates(&self) -> impl Iterator<Item = (&'d str, Vec<NodeId>)> + '_ {
        self.ids
            .chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() > 1)
            .map(|group| (group[0].0, group.iter().map(|&(_, n)| n).collect()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_resolve_only_when_unique() {
        let doc = crate::xml::parse(
            r#"<r ID="a"><x Id="b" ID="b"/><y id="c"/><z AssertionID="c"/><w ResponseID="d" Other="a"/></r>"#,
            &crate::limits::Limits::default(),
        )
        .unwrap();
        let ids = IdIndex::build(&doc);
        let node = |local: &str| {
            std::iter::once(doc.root())
                .chain(doc.descendants(doc.root()))
                .find(|&n| doc.element(n).is_some_and(|e| e.local() == local))
                .unwrap()
        };
        assert_eq!(ids.resolve("a"), Some(doc.root()));
        // One element carrying the value under two names is one carrier.
        assert_eq!(ids.resolve("b"), Some(node("x")));
        assert_eq!(ids.resolve("d"), Some(node("w")));
        assert_eq!(ids.resolve("c"), None);
        assert_eq!(ids.resolve("e"), None);
        let dups: Vec<(&str, Vec<NodeId>)> = ids.duplicates().collect();
        assert_eq!(dups, [("c", vec![node("y"), node("z")])]);
    }
}
