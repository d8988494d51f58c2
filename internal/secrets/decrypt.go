package secrets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/getsops/sops/v3"
	"github.com/getsops/sops/v3/decrypt"
	"github.com/google/shlex"
)

// The kinds of failure Decrypt reports, for errors.Is. A missing file also
// matches fs.ErrNotExist.
var (
	ErrUnsupportedFormat = errors.New("unsupported secrets file format")
	ErrNotEncrypted      = errors.New("secrets file is not SOPS-encrypted")
	ErrNoKey             = errors.New("no available key can decrypt the secrets file")
	ErrIntegrity         = errors.New("secrets file failed the SOPS integrity check")
	ErrMalformed         = errors.New("secrets file is not a valid SOPS file")
)

// Decrypt reads the SOPS-encrypted file at path and returns its top-level
// keys. The format follows the extension: .yaml/.yml, .json or .env. Keys
// come only from the standard SOPS environment (SOPS_AGE_KEY_FILE,
// SOPS_AGE_KEY, the default age key file, AWS/GCP/Azure/Vault credentials,
// the GnuPG keyring, …).
//
// Errors say what went wrong and what to do, and never contain a value of
// the file: sops' own error text is not passed on where it could quote
// content, and the returned error does not wrap it.
func Decrypt(path string) (Values, error) {
	ext := strings.ToLower(filepath.Ext(path))
	f, ok := formats[ext]
	if !ok {
		return nil, newError(fmt.Sprintf("cannot read secrets file %s: unsupported extension %q (supported: %s)",
			path, ext, supportedExtensions), ErrUnsupportedFormat)
	}

	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, newError(fmt.Sprintf("secrets file %s does not exist: create it with `sops edit %s` "+
			"(a .sops.yaml creation rule must cover it)", path, path), fs.ErrNotExist)
	}
	if err != nil {
		// A *PathError names the path and the OS reason, nothing of the content.
		return nil, fmt.Errorf("cannot read secrets file: %w", err)
	}

	cleartext, err := decryptData(path, data, f.sops)
	if err != nil {
		return nil, err
	}
	v, err := f.parse(cleartext)
	if err != nil {
		return nil, newError(fmt.Sprintf("cannot read secrets file %s: %v", path, err), ErrMalformed)
	}
	return v, nil
}

// decryptData is decrypt.Data with its errors classified, and its one
// known panic turned into an error too. When sops v3.13 reaches the age
// key sources (a file with an age recipient), a key command variable that
// is set but names no command leaves it nothing to run, and it panics
// (age.getOutputFromCmd) before trying any key; in GitHub Actions a missing
// secret becomes such a value. Any other panic is sops' own and goes on.
func decryptData(path string, data []byte, format string) (cleartext []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			if err = blankKeyCommand(path); err == nil {
				panic(r)
			}
		}
	}()
	if cleartext, err = decrypt.Data(data, format); err != nil {
		return nil, classify(path, err)
	}
	return cleartext, nil
}

// blankKeyCommand is the error for a key command variable that is set but
// names no command, if there is one.
func blankKeyCommand(path string) error {
	for _, name := range []string{"SOPS_AGE_KEY_CMD", "SOPS_AGE_SSH_PRIVATE_KEY_CMD"} {
		val, ok := os.LookupEnv(name)
		if args, err := shlex.Split(val); !ok || err != nil || len(args) > 0 {
			continue
		}
		return newError(fmt.Sprintf("cannot decrypt secrets file %s: %s is set but holds no command, and sops "+
			"cannot try any key while it is\n  to fix: unset %s, or set it to a command that prints the key "+
			"(in GitHub Actions, the secret it is set from is probably missing)", path, name, name), ErrNoKey)
	}
	return nil
}

// classify turns an error of decrypt.Data into an actionable one. sops'
// errors are mostly untyped, so after the typed checks it matches on the
// message prefixes of sops v3.13 (decrypt.DataWithFormat and Tree.Decrypt).
// Anything unrecognised becomes ErrMalformed with a pointer to the sops CLI,
// which can show the full report on the user's terminal.
func classify(path string, err error) error {
	var userErr sops.UserError
	msg := err.Error()
	switch {
	case errors.Is(err, sops.MetadataNotFound):
		return newError(fmt.Sprintf("secrets file %s is not SOPS-encrypted: it holds plain text, probably "+
			"committed by mistake. Encrypt it in place with `sops -e -i %s` (a .sops.yaml creation rule "+
			"must cover it), and if the plain file was ever pushed, rotate the credentials it contains",
			path, path), ErrNotEncrypted)
	case errors.As(err, &userErr):
		return noKeyError(path, userErr.UserError())
	case strings.HasPrefix(msg, "Failed to verify data integrity"),
		strings.HasPrefix(msg, "Failed to decrypt original mac"),
		strings.HasPrefix(msg, "Error walking tree"):
		return newError(fmt.Sprintf("secrets file %s fails the SOPS integrity check (MAC mismatch): the file "+
			"was edited by hand or mangled in a merge. Re-create it with `sops edit %s` starting from a "+
			"clean copy (for example the last good version in git), or re-encrypt it from the plain "+
			"values with `sops -e -i`; never edit the ENC[...] values or the sops metadata directly",
			path, path), ErrIntegrity)
	}
	return newError(fmt.Sprintf("secrets file %s is not a valid SOPS-encrypted file of its format (%s): "+
		"run `sops decrypt %s` to see what sops reports", path, filepath.Ext(path), path), ErrMalformed)
}

// decryptError carries a message written for the user and the sentinels it
// matches. It deliberately does not wrap the sops error it replaces, so that
// no caller can print sops' text (which may quote file content) by accident.
type decryptError struct {
	msg   string
	kinds []error
}

func newError(msg string, kinds ...error) error { return &decryptError{msg: msg, kinds: kinds} }

func (e *decryptError) Error() string   { return e.msg }
func (e *decryptError) Unwrap() []error { return e.kinds }
