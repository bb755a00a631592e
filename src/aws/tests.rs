//! Reading exports by content.
