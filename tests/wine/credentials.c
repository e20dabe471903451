/*
 * The Credential Manager seen from outside Tessera, through the Windows API alone, for the Wine
 * test:
 *
 *   credentials.exe                      lists the generic credentials, one a line: the target
 *                                        name, the user name and the secret (the credential
 *                                        blob) in hexadecimal, separated by tabs (CredEnumerateW)
 *   credentials.exe TARGET USER SECRET   writes a generic credential (CredWriteW)
 */
#include <windows.h>
#include <wincred.h>
#include <stdio.h>
#include <string.h>

static void print_utf8(const wchar_t *text)
{
    char buffer[4096];
    int n = text ? WideCharToMultiByte(CP_UTF8, 0, text, -1, buffer, sizeof buffer, NULL, NULL) : 0;
    fputs(n > 0 ? buffer : "", stdout);
}

static int write_credential(const char *target, const char *user, const char *secret)
{
    wchar_t target_w[512], user_w[512];
    if (!MultiByteToWideChar(CP_UTF8, 0, target, -1, target_w, 512)
        || !MultiByteToWideChar(CP_UTF8, 0, user, -1, user_w, 512))
        return 2;
    CREDENTIALW credential = {0};
    credential.Type = CRED_TYPE_GENERIC;
    credential.TargetName = target_w;
    credential.UserName = user_w;
    credential.CredentialBlob = (LPBYTE)secret;
    credential.CredentialBlobSize = (DWORD)strlen(secret);
    credential.Persist = CRED_PERSIST_ENTERPRISE;
    if (!CredWriteW(&credential, 0)) {
        fprintf(stderr, "CredWriteW failed: %lu\n", GetLastError());
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4)
        return write_credential(argv[1], argv[2], argv[3]);
    DWORD count = 0;
    PCREDENTIALW *credentials = NULL;
    if (!CredEnumerateW(NULL, 0, &count, &credentials)) {
        if (GetLastError() == ERROR_NOT_FOUND)
            return 0;
        fprintf(stderr, "CredEnumerateW failed: %lu\n", GetLastError());
        return 1;
    }
    for (DWORD i = 0; i < count; i++) {
        const CREDENTIALW *c = credentials[i];
        if (c->Type != CRED_TYPE_GENERIC)
            continue;
        print_utf8(c->TargetName);
        putchar('\t');
        print_utf8(c->UserName);
        putchar('\t');
        for (DWORD b = 0; b < c->CredentialBlobSize; b++)
            printf("%02x", c->CredentialBlob[b]);
        putchar('\n');
    }
    CredFree(credentials);
    return 0;
}
